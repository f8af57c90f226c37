// The CRD schemas `kc import crd` wrote for a project or chart, added to the Kubernetes schemas lint validates with,
// so custom resources are checked offline. A schema file sits next to its generated module (`<crd>.ts`): lint finds
// it by following the relative imports of the target's sources (a project reaches its charts' imports/ this way),
// and also reads the target's own imports/ folder.
import fs from 'node:fs';
import path from 'node:path';
import type { CrdDefinition } from '../import/crd.js';
import { SCHEMA_FILE_SUFFIX, parseSchemaFile } from '../import/schema-file.js';
import { compactOpenApi, kindIndex, type KubeSchemaSet, type OpenApiSchema } from './openapi.js';
import { sourceFiles } from './typecheck.js';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"\n]+)['"]/g;
// A guard against pathological trees; a real project reaches far fewer local files.
const MAX_FILES = 20_000;

/** The TypeScript file a relative import names (`./x.js` is `./x.ts`), if it exists. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`];
  candidates.push(path.join(base, 'index.ts'));
  return candidates.find((c) => /\.m?ts$/.test(c) && fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Every local source the target's sources reach through relative imports (node_modules is not entered). */
function reachableSources(dir: string): string[] {
  const seen = new Set<string>();
  const queue = sourceFiles(dir);
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const file = queue.pop()!;
    if (seen.has(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveImport(file, m[1]);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}

/** The imported schema files a project or chart directory uses, sorted. */
export function importedSchemaFiles(dir: string): string[] {
  const files = new Set<string>();
  for (const source of reachableSources(dir)) {
    const schema = source.replace(/\.m?ts$/, SCHEMA_FILE_SUFFIX);
    if (fs.existsSync(schema)) files.add(schema);
  }
  const own = path.join(dir, 'imports');
  if (fs.existsSync(own) && fs.statSync(own).isDirectory()) {
    for (const f of fs.readdirSync(own)) if (f.endsWith(SCHEMA_FILE_SUFFIX)) files.add(path.join(own, f));
  }
  return [...files].sort();
}

/** The CRDs in schema files (files other tools wrote with the same suffix are left out). */
export function readImportedCrds(files: readonly string[], cwd: string): CrdDefinition[] {
  return files
    .map((f) => parseSchemaFile(fs.readFileSync(f, 'utf8'), path.relative(cwd, f) || f))
    .filter((c): c is CrdDefinition => c !== undefined);
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * The schema set with each imported CRD version as a component (named `crd:<group>/<version>/<kind>`), for the
 * kinds the set does not know already (a live server's own CRD schemas win). As the API server does, a custom
 * resource's metadata is checked as ObjectMeta.
 */
export function withImportedCrds(set: KubeSchemaSet, crds: readonly CrdDefinition[]): KubeSchemaSet {
  const known = kindIndex(set);
  const schemas: Record<string, OpenApiSchema> = { ...set.schemas };
  const groupVersions = new Set(set.groupVersions);
  for (const crd of crds) {
    for (const v of crd.versions) {
      const apiVersion = `${crd.group}/${v.name}`;
      if (known.has(`${apiVersion}/${crd.kind}`)) continue;
      const name = `crd:${apiVersion}/${crd.kind}`;
      const raw = v.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      const compact = compactOpenApi({ [apiVersion]: { components: { schemas: { [name]: raw } } } }, '').schemas[name];
      // Every object has these, whether or not the CRD's schema spells them out.
      const properties: Record<string, OpenApiSchema> = {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        ...compact.properties,
      };
      if (set.schemas[OBJECT_META]) properties.metadata = { $ref: OBJECT_META };
      const gvk = [{ group: crd.group, version: v.name, kind: crd.kind }];
      schemas[name] = { ...compact, properties, 'x-kubernetes-group-version-kind': gvk };
      groupVersions.add(apiVersion);
    }
  }
  return { ...set, groupVersions: [...groupVersions].sort(), schemas };
}
