import path from 'node:path';
import { checkEnvName, environmentOf, loadProject } from '../config/load-project.js';
import { PROJECT_FILES } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { environmentCluster } from './deploy.js';
import type { ClusterOptions } from './release-options.js';
import type { FluxEnvironment } from './flux-deploy.js';

/** Names an environment of a project, for commands that act on releases already deployed. */
export interface EnvironmentSelector {
  /** Environment name from the project file; unset: flags and the kubeconfig alone decide. */
  env?: string;
  /** Project directory (default: the current directory). */
  project?: string;
}

/** The cluster and namespace a release command talks to, and the project environment they came from. */
export interface ResolvedCluster extends ClusterOptions {
  /** The project's name, when an environment was given. */
  projectName?: string;
  env?: string;
  /** The environment's `verify.keys`, as absolute paths: oci:// charts must be signed by one of them. */
  verifyKeys?: string[];
  /** Set when the environment's engine is Flux: read commands then ask Flux, not kc's release records. */
  flux?: FluxEnvironment;
}

/**
 * Resolves `--env` as `kc deploy --env` does: the environment's namespace, kube context and kubeconfig, with
 * --namespace, --context and --kubeconfig winning. Reads the project file only; the app is never built or run.
 */
export async function resolveEnvironmentCluster(ctx: KcContext, options: ClusterOptions & EnvironmentSelector): Promise<ResolvedCluster> {
  const flags: ClusterOptions = { kubeconfig: options.kubeconfig, context: options.context, namespace: options.namespace };
  if (options.env === undefined) return flags;
  checkEnvName(options.env);
  const dir = path.resolve(ctx.cwd, options.project ?? '.');
  const configFile = PROJECT_FILES.map((name) => path.join(dir, name)).find((file) => ctx.fs.exists(file));
  if (!configFile) {
    throw new KcError('PROJECT_NOT_FOUND', `--env ${options.env}: ${options.project ?? 'the current directory'} has no kc.config.ts`, {
      hint: 'run the command in the project folder, or pass --project DIR',
    });
  }
  const project = await loadProject(configFile, ctx.cwd, ctx.cacheDir, ctx.signal);
  const environment = environmentOf(project, options.env);
  // Fields are picked one by one: nothing else of the environment (its values) flows into the options.
  const cluster = environmentCluster({ environment, dir: project.dir }, flags);
  const kubeconfig = cluster.kubeconfig;
  if (!options.kubeconfig && kubeconfig && !ctx.fs.exists(kubeconfig)) {
    throw new KcError('FILE_NOT_FOUND', `environment "${options.env}" names kubeconfig ${path.relative(ctx.cwd, kubeconfig) || kubeconfig}, which does not exist`, {
      hint: `fix \`kubeconfig\` of the environment in ${path.basename(project.configFile)} (it is relative to the project)`,
    });
  }
  const verifyKeys = environment.verify?.keys.map((key) => path.resolve(project.dir, key));
  const projectName = project.name ?? path.basename(project.dir);
  const flux = environment.engine === 'flux' ? { project: projectName, env: options.env, dir: project.dir, environment } : undefined;
  return {
    ...cluster, namespace: options.namespace ?? environment.namespace, projectName: project.name, env: options.env,
    ...(verifyKeys ? { verifyKeys } : {}),
    ...(flux ? { flux } : {}),
  };
}
