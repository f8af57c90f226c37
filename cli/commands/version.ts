import type { Command } from 'commander';
import { KC_BUILD_ID } from '../../src/build-id.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { safe } from '../terminal-safe.js';
import { KC_VERSION } from '../version.js';

/** How long `kc version` waits for the API server: it answers without a cluster, so a silent one must not hang it. */
const SERVER_TIMEOUT_MS = 5000;

/** What `kc version -o json` prints; a stable shape (server is null when it could not be asked). */
export interface VersionReport {
  client: { version: string; build?: string; node: string; platform: string };
  server: { gitVersion: string } | null;
  serverError?: string;
}

/** The API server's gitVersion, or why it could not be read (one line). */
async function serverVersion(io: CliIO, flags: ClusterFlagValues): Promise<{ gitVersion: string } | { error: string }> {
  let timer: NodeJS.Timeout | undefined;
  let session: Awaited<ReturnType<CliIO['ctx']['connect']>> | undefined;
  try {
    session = await io.ctx.connect({ kubeconfig: flags.kubeconfig, context: flags.context });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${SERVER_TIMEOUT_MS / 1000}s`)), SERVER_TIMEOUT_MS);
    });
    return { gitVersion: await Promise.race([session.client.serverVersion(), timeout]) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: message.split('\n')[0] };
  } finally {
    clearTimeout(timer);
    session?.close();
  }
}

/** The client half of the report; a build id only when kc was built (unbuilt code has a per-process one). */
function clientReport(): VersionReport['client'] {
  const build = KC_BUILD_ID.startsWith('unbuilt-') ? undefined : KC_BUILD_ID;
  return {
    version: KC_VERSION,
    ...(build ? { build } : {}),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

function versionText(report: VersionReport): string {
  const { client } = report;
  const build = client.build ? safe`, build ${client.build}` : '';
  const head = safe`Client: v${client.version}${build} (node ${client.node}, ${client.platform})\n`;
  if (report.server) return head + safe`Server: ${report.server.gitVersion}\n`;
  return head + safe`Server: unreachable (${report.serverError ?? 'unknown reason'})\n`;
}

/** `kc version`: kc's version, and the API server's when one is reachable (exits 0 when none is, like Helm). */
export function registerVersion(program: Command, io: CliIO): void {
  const cmd = program
    .command('version')
    .description("kc's version, Node's and the platform, and the Kubernetes API server's when it is reachable")
    .option('--short', 'print only the version, e.g. v0.1.0 (no cluster is contacted)')
    .option('-o, --output <format>', 'table (text), json or yaml');
  addClusterFlags(cmd);
  cmd.action(async (flags: ClusterFlagValues & { short?: boolean; output?: string }) => {
    const format = outputFormat(flags.output);
    if (flags.short) {
      io.stdout(formatData(format, { version: `v${KC_VERSION}` }, () => `v${KC_VERSION}\n`));
      return;
    }
    const server = await serverVersion(io, flags);
    const report: VersionReport =
      'error' in server
        ? { client: clientReport(), server: null, serverError: server.error }
        : { client: clientReport(), server };
    io.stdout(formatData(format, report, () => versionText(report)));
  });
}
