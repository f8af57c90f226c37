// The `<crd>.schema.json` file `kc import crd` writes next to the generated module, so that `kc lint` validates
// custom resources offline. One file per CRD: its group, kind, scope and each served version's openAPIV3Schema.
import { KcError } from '../errors/index.js';
import { crdFromObject, type CrdDefinition } from './crd.js';

/** The suffix of imported schema files (the module is `<crd>.ts`, its schema `<crd>.schema.json`). */
export const SCHEMA_FILE_SUFFIX = '.schema.json';

const MARKER = 'kc import crd';

/** The file's text: stable key order (the CRD's own), two-space indented, one trailing newline. */
export function schemaFileText(crd: CrdDefinition): string {
  const file = {
    generatedBy: MARKER,
    crd: crd.name,
    group: crd.group,
    kind: crd.kind,
    scope: crd.scope,
    versions: crd.versions.map((v) => ({ name: v.name, ...(v.schema ? { openAPIV3Schema: v.schema } : {}) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads a schema file back into a CRD definition; undefined for a `.schema.json` kc did not write (other tools use
 * the suffix too). A file kc wrote that no longer parses is CRD_INVALID.
 */
export function parseSchemaFile(text: string, file: string): CrdDefinition | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new KcError('CRD_INVALID', `${file} is not valid JSON: ${(err as Error).message}`, {
      hint: 'run kc import crd again for its CustomResourceDefinition, or delete the file',
    });
  }
  const d = data as { generatedBy?: unknown; group?: unknown; kind?: unknown; crd?: unknown; scope?: unknown };
  if (typeof data !== 'object' || data === null || d.generatedBy !== MARKER) return undefined;
  const versions = (data as { versions?: unknown }).versions;
  const plural = typeof d.crd === 'string' ? d.crd.split('.')[0] : undefined;
  const asCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: d.crd },
    spec: {
      group: d.group,
      scope: d.scope,
      names: { kind: d.kind, plural },
      versions: Array.isArray(versions)
        ? versions.map((v: { name?: unknown; openAPIV3Schema?: unknown }) => ({
            name: v?.name,
            schema: v?.openAPIV3Schema === undefined ? undefined : { openAPIV3Schema: v.openAPIV3Schema },
          }))
        : undefined,
    },
  };
  return crdFromObject(asCrd, file);
}
