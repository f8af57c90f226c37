import type { Command } from 'commander';
import type { ResolvedCluster } from '../src/actions/env-cluster.js';
import type { ClusterFlagValues } from './cluster-flags.js';
import type { CliIO } from './io.js';

/** --env and --project as commander parses them. */
export interface EnvFlagValues {
  env?: string;
  project?: string;
}

const ENV_HELP = 'environment of the project file: its namespace, kube context and kubeconfig (flags still win)';

/** Adds -e/--env and --project to a command that acts on deployed releases. */
export function addEnvFlags(cmd: Command, envHelp = ENV_HELP): Command {
  return cmd
    .option('-e, --env <name>', envHelp)
    .option('--project <dir>', 'project directory holding kc.config.ts, for --env (default: the current directory)');
}

/** The cluster options the flags name, with --env resolved through the project file. */
export async function clusterOf(io: CliIO, flags: ClusterFlagValues & EnvFlagValues): Promise<ResolvedCluster> {
  // Loaded when the command runs: the project loader and deploy's modules are no part of kc's start.
  const { resolveEnvironmentCluster } = await import('../src/actions/env-cluster.js');
  return resolveEnvironmentCluster(io.ctx, flags);
}
