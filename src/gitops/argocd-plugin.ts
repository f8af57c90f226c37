// The definition of kc's Argo CD config-management plugin (a sidecar's plugin.yaml): folders holding a
// kc-release.yaml are rendered by `kc gitops render`, offline, from the packaged chart committed next to it.
import type { KubeObject } from '../kube/types.js';

/** The plugin's name and version (Applications name it `kc-v1`). */
export const ARGOCD_PLUGIN = { name: 'kc', version: 'v1' } as const;

/** The ConfigManagementPlugin whose `generate` runs `<kc> gitops render` in the app's source folder. */
export function argocdPlugin(options: {
  kc?: string[];
  releaseFile: string;
  /** The parameters the Application may set (name → title), shown in Argo CD's UI. */
  parameters?: Record<string, string>;
}): KubeObject {
  const types: Record<string, string> = { values: 'array', set: 'map' };
  const parameters = Object.entries(options.parameters ?? {}).map(([name, title]) => ({
    name,
    title,
    ...(types[name] ? { collectionType: types[name] } : {}),
  }));
  const kc = options.kc?.length ? options.kc : ['kc'];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ConfigManagementPlugin',
    metadata: { name: ARGOCD_PLUGIN.name },
    spec: {
      version: ARGOCD_PLUGIN.version,
      discover: { fileName: `./${options.releaseFile}` },
      // kc writes stdout only after the whole render succeeded and exits non-zero on any error, with no pipe in
      // between that could hide a failure: Argo CD never mistakes a failed render for an empty one.
      generate: { command: [kc[0]], args: [...kc.slice(1), 'gitops', 'render'] },
      ...(parameters.length ? { parameters: { static: parameters } } : {}),
    },
  };
}
