// Which cluster the typed words point at, and which words name one of its releases. Pure: the cluster code is
// loaded only once a release, namespace or context is actually being completed (cluster-candidates.ts).
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';

/** The cluster options the typed flags give; unset ones fall back as the command's would (KC_NAMESPACE, …). */
export interface ClusterWords {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: string;
  project?: string;
}

/** `~/x` as the shell would expand it: a word being completed reaches kc unexpanded. */
function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

/** The cluster options in `values` (TypedWords.values); --kube-context is Helm's name for --context. */
export function clusterWords(values: ReadonlyMap<string, string>): ClusterWords {
  const kubeconfig = values.get('--kubeconfig');
  const picked: ClusterWords = {
    kubeconfig: kubeconfig ? expandHome(kubeconfig) : undefined,
    context: values.get('--context') ?? values.get('--kube-context'),
    namespace: values.get('--namespace'),
    env: values.get('--env'),
    project: values.get('--project'),
  };
  // Empty values are left out: `--namespace ''` selects nothing, as an unset flag.
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v)) as ClusterWords;
}

/** Whether `cmd` talks to a cluster: it has the cluster flags (template's -n alone names no cluster). */
export const talksToCluster = (cmd: Command): boolean => cmd.options.some((o) => o.long === '--kubeconfig');

/** `kc adopt helm`'s release is a Helm release: kc's records do not list it. */
const OTHER_RELEASES = new Set(['adopt helm']);

/** Whether argument `index` of `cmd` names a kc release of the cluster: `<release>`, `[release]` or `<release...>`. */
export function isReleaseArgument(cmd: Command, index: number): boolean {
  const args = cmd.registeredArguments;
  const arg = args[index] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
  if (arg?.name() !== 'release' || !talksToCluster(cmd)) return false;
  return !OTHER_RELEASES.has(`${cmd.parent?.name() ?? ''} ${cmd.name()}`);
}
