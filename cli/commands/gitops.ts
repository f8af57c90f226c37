import type { Command } from 'commander';
import type { GitopsEngine } from '../../src/actions/gitops.js';
import { RELEASE_FILE } from '../../src/gitops/release-file.js';
import { KcError } from '../../src/errors/index.js';
import type { CliIO } from '../io.js';
import { safe } from '../terminal-safe.js';

interface ExportFlags {
  env?: string;
  engine: string;
  digest?: string;
  repository?: string;
  namespace?: string;
  argocdNamespace?: string;
  server?: string;
  argocdProject?: string;
  appOfApps?: string;
  appOfAppsPath: string;
}

const EXPORT_EXAMPLES = `
Examples:
  kc gitops export --env prod                                  (Flux, following the tag "prod")
  kc gitops export --env prod --digest sha256:…                (Flux, pinned to what kc publish printed)
  kc gitops export --env prod --engine argocd > apps.yaml      (an Argo CD Application per release)

Flux: the Secret of cosign public keys (when the environment signs or verifies), one OCIRepository, one
Kustomization per release (dependsOn = the release's dependencies). Argo CD: one Application per release from
Argo CD's OCI source, sync waves from the dependencies.`;

const RENDER_HELP = `
Argo CD's config-management plugin runs this in the app's source folder, which holds a packaged chart (kc package)
and ${RELEASE_FILE} (chart: NAME-VERSION.tgz, values: [FILE…], release: NAME, namespace: NS; all optional).
Release name: ARGOCD_APP_NAME; namespace: ARGOCD_APP_NAMESPACE; values: values.yaml (or the files named), then
ARGOCD_ENV_KC_VALUES (files, comma-separated), the plugin parameter "values" (array), then ARGOCD_ENV_KC_SET,
ARGOCD_ENV_KC_SET_* (--set expressions, in name order), the parameter "set" (map, in key order); KUBE_VERSION is
checked and logged. Only the objects go to stdout, once the whole render succeeded;
logs go to stderr; any error exits non-zero with nothing on stdout.`;

function engineOf(text: string): GitopsEngine {
  if (text === 'flux' || text === 'argocd') return text;
  throw new KcError('USAGE', `--engine ${text}: kc exports for flux or argocd`, {
    hint: 'pass --engine flux or --engine argocd',
  });
}

/** `kc gitops export|render|argocd-plugin`: deliver environments through Flux or Argo CD. */
export function registerGitops(program: Command, io: CliIO): void {
  const gitops = program.command('gitops').description('deliver environments through Flux or Argo CD');
  gitops
    .command('export')
    .description('print the Flux (or Argo CD) objects that pull an environment published with kc publish')
    .argument('[project]', 'project directory (with kc.config.ts)', '.')
    .option('-e, --env <name>', 'environment from the project file (required)')
    .option('--engine <engine>', 'flux or argocd', 'flux')
    .option('--digest <digest>', 'pin the published manifest digest (sha256:…); default: follow the env\'s tag')
    .option('--repository <oci-url>', 'oci://HOST/PATH (default: the environment\'s gitops.repository)')
    .option('-n, --namespace <ns>', 'namespace of the releases (default: the environment\'s)')
    .option('--argocd-namespace <ns>', 'argocd: namespace of the Applications', 'argocd')
    .option('--server <url>', 'argocd: destination API server (default: the cluster Argo CD runs in)')
    .option('--argocd-project <name>', 'argocd: the Argo CD project', 'default')
    .option('--app-of-apps <repo-url>', 'argocd: also an app of apps syncing the Applications committed to this repo')
    .option('--app-of-apps-path <path>', 'argocd: the folder of that repo holding them', '.')
    .addHelpText('after', EXPORT_EXAMPLES)
    .action(async (project: string, flags: ExportFlags) => {
      if (flags.env === undefined) {
        throw new KcError('USAGE', 'gitops export needs --env', { hint: 'e.g. kc gitops export --env prod' });
      }
      const engine = engineOf(flags.engine);
      const appOfApps = flags.appOfApps ? { repoURL: flags.appOfApps, path: flags.appOfAppsPath } : undefined;
      const { argocdNamespace, server, argocdProject } = flags;
      const argocd = { namespace: argocdNamespace, server, project: argocdProject, appOfApps };
      const { env, digest, repository, namespace } = flags;
      const { gitopsExport } = await import('../../src/actions/gitops.js');
      const result = await gitopsExport(io.ctx, { project, env, engine, digest, repository, namespace, argocd });
      for (const warning of result.warnings) io.stderr(safe`warning: ${warning}\n`);
      io.stdout(result.yaml);
    });
  gitops
    .command('render')
    .description('render the packaged chart of an Argo CD app\'s source folder (the Argo CD plugin\'s generate)')
    .argument('[dir]', 'the app\'s source folder', '.')
    .addHelpText('after', RENDER_HELP)
    .action(async (dir: string) => {
      const { gitopsRender } = await import('../../src/actions/gitops-render.js');
      const r = await gitopsRender(io.ctx, { dir, env: process.env });
      const from = [r.chart, ...r.valuesFiles].join(', ');
      const where = r.namespace ? ` into namespace ${r.namespace}` : '';
      const kube = r.kubeVersion ? ` for Kubernetes ${r.kubeVersion}` : '';
      const counts = `${r.sets} --set; ${r.objects} objects`;
      io.stderr(safe`kc gitops render: release ${r.release}${where}${kube} from ${from}, ${counts}\n`);
      // The only write to stdout, after the whole render succeeded: an error leaves it empty.
      io.stdout(r.yaml);
    });
  gitops
    .command('argocd-plugin')
    .description('print the plugin.yaml of kc\'s Argo CD config-management plugin (for the repo-server sidecar)')
    .option('--kc <command...>', 'how the sidecar runs kc (default: kc on its PATH)')
    .action(async (flags: { kc?: string[] }) => {
      const { argocdPlugin } = await import('../../src/gitops/argocd-plugin.js');
      const { toYaml } = await import('../../src/synth/yaml.js');
      const { PLUGIN_PARAMETERS } = await import('../../src/actions/gitops-render.js');
      io.stdout(toYaml(argocdPlugin({ kc: flags.kc, releaseFile: RELEASE_FILE, parameters: PLUGIN_PARAMETERS })));
    });
  for (const cmd of gitops.commands) cmd.exitOverride();
}
