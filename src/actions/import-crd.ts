import path from 'node:path';
import type { KcContext } from '../context.js';
import { KcError, isKcError } from '../errors/index.js';
import type { CrdDefinition } from '../import/crd.js';
import { readCrds } from '../import/crd.js';
import type { GeneratedClass } from '../import/crd-codegen.js';
import { SCHEMA_FILE_SUFFIX, schemaFileText } from '../import/schema-file.js';
import { compareText } from '../compare-text.js';

/** Options of `kc import crd`. */
export interface ImportCrdOptions {
  /** CRD files (YAML or JSON, several documents allowed) and http(s) URLs. */
  sources: string[];
  /** Names of CRDs to read from the cluster the kubeconfig names (`servicemonitors.monitoring.coreos.com`). */
  fromCluster?: string[];
  /** Where the modules go, relative to the current directory (default `imports`). */
  output?: string;
  kubeconfig?: string;
  context?: string;
}

/** One CRD imported: the module and schema file written, and the classes in the module. */
export interface ImportedCrd {
  crd: string;
  source: string;
  module: string;
  schema: string;
  classes: GeneratedClass[];
}

/** What `kc import crd` wrote, and the objects of its inputs that were not CRDs. */
export interface ImportCrdResult {
  output: string;
  imported: ImportedCrd[];
  skipped: { source: string; kinds: string[] }[];
}

const CRD_API = 'apiextensions.k8s.io/v1';

async function readSource(ctx: KcContext, source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) return (await ctx.http.fetch(source)).body.toString('utf8');
  try {
    return ctx.fs.readText(path.resolve(ctx.cwd, source));
  } catch (err) {
    if (isKcError(err)) throw err;
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new KcError('CRD_INVALID', `${source} is a directory`, {
        hint: 'pass the CRD files in it, e.g. crds/*.yaml',
      });
    }
    throw err;
  }
}

async function clusterCrds(ctx: KcContext, names: string[], options: ImportCrdOptions): Promise<CrdDefinition[]> {
  const kubeconfig = options.kubeconfig ? path.resolve(ctx.cwd, options.kubeconfig) : undefined;
  const session = await ctx.connect({ kubeconfig, context: options.context });
  try {
    const objects = await Promise.all(
      names.map((name) => session.client.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name })),
    );
    return objects.map((object, i) => {
      if (!object) {
        throw new KcError('NOT_FOUND', `CustomResourceDefinition ${names[i]} not found in context ${session.context}`, {
          hint: 'kubectl get crd lists the installed ones; the name is <plural>.<group>',
        });
      }
      const source = `cluster ${session.context}`;
      return readCrds(JSON.stringify(object), source).crds[0];
    });
  } finally {
    session.close();
  }
}

/** Fails on one CRD given twice, whichever inputs they came from. */
function checkUnique(crds: CrdDefinition[]): void {
  const seen = new Map<string, CrdDefinition>();
  for (const crd of crds) {
    const first = seen.get(crd.name);
    if (first) {
      throw new KcError(
        'CRD_INVALID',
        `CustomResourceDefinition ${crd.name} is given twice (${first.source}, ${crd.source})`,
        {
          hint: 'import each CRD once',
        },
      );
    }
    seen.set(crd.name, crd);
  }
}

/**
 * `kc import crd FILE|URL... [--from-cluster NAME...]`: for each CustomResourceDefinition, writes `<crd>.ts` (a
 * typed cdk8s ApiObject class per served version) and `<crd>.schema.json` (for `kc lint`) into the output folder.
 */
export async function importCrd(ctx: KcContext, options: ImportCrdOptions): Promise<ImportCrdResult> {
  const fromCluster = options.fromCluster ?? [];
  if (options.sources.length === 0 && fromCluster.length === 0) {
    throw new KcError('USAGE', 'kc import crd needs a CRD file, a URL or --from-cluster NAME', {
      hint: 'e.g. kc import crd crds/servicemonitors.yaml, or kc import crd --from-cluster servicemonitors.monitoring.coreos.com',
    });
  }
  const crds: CrdDefinition[] = [];
  const skipped: ImportCrdResult['skipped'] = [];
  for (const source of options.sources) {
    const read = readCrds(await readSource(ctx, source), source);
    crds.push(...read.crds);
    if (read.skipped.length > 0) skipped.push({ source, kinds: read.skipped });
  }
  if (fromCluster.length > 0) crds.push(...(await clusterCrds(ctx, fromCluster, options)));
  checkUnique(crds);
  const { crdModule } = await import('../import/crd-codegen.js');
  const outDir = path.resolve(ctx.cwd, options.output ?? 'imports');
  const imported: ImportedCrd[] = [];
  for (const crd of [...crds].sort((a, b) => compareText(a.name, b.name))) {
    const generated = await crdModule(crd);
    const module = path.join(outDir, `${crd.name}.ts`);
    const schema = path.join(outDir, `${crd.name}${SCHEMA_FILE_SUFFIX}`);
    ctx.fs.writeText(module, generated.text);
    ctx.fs.writeText(schema, schemaFileText(crd));
    const rel = (f: string) => path.relative(ctx.cwd, f) || f;
    imported.push({
      crd: crd.name,
      source: crd.source,
      module: rel(module),
      schema: rel(schema),
      classes: generated.classes,
    });
  }
  return { output: path.relative(ctx.cwd, outDir) || '.', imported, skipped };
}
