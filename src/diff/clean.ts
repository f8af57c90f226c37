import type { KubeObject } from '../kube/types.js';

/** Metadata fields the API server fills in; they never come from a chart. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** Annotations written by tools and controllers rather than by the chart author. */
const SERVER_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of `object` without server-populated fields, so a diff shows only what a chart controls. */
export function cleanForDiff(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.status;
  const metadata = copy.metadata;
  if (isRecord(metadata)) {
    for (const field of SERVER_METADATA) delete metadata[field];
    const annotations = metadata.annotations;
    if (isRecord(annotations)) for (const a of SERVER_ANNOTATIONS) delete annotations[a];
    // An empty map left behind would show as a spurious `annotations: {}` change.
    for (const field of ['annotations', 'labels']) {
      const map = metadata[field];
      if (isRecord(map) && Object.keys(map).length === 0) delete metadata[field];
    }
  }
  if (copy.kind === 'Secret') foldStringData(copy);
  return copy;
}

/**
 * The API server merges `stringData` into `data` (stringData wins) and never returns it, so a desired
 * Secret written with `stringData` would otherwise always differ from its live copy.
 */
function foldStringData(secret: KubeObject): void {
  const stringData = secret.stringData;
  if (!isRecord(stringData)) return;
  const data = isRecord(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value;
  }
  secret.data = data;
  delete secret.stringData;
}
