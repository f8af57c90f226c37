import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types.js';

/** The objects of a stored multi-document manifest, in order. */
export function parseManifest(manifest: string): KubeObject[] {
  return parseAllDocuments(manifest)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}
