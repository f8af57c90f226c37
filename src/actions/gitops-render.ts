// `kc gitops render`: what Argo CD's config-management plugin runs in an app's source folder. It renders a chart
// packaged by `kc package` (a .tgz: the bundle is inside, so nothing is installed or fetched) as one release, with
// the values the folder and the Application give it. Argo CD prunes what a render leaves out, so every problem is an
// error and the caller prints the objects only once the whole render has succeeded.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { isHook } from '../kube/hooks.js';
import type { SetFlag } from '../values/index.js';
import { template } from './template.js';
import { RELEASE_FILE } from '../gitops/release-file.js';
import { compareText } from '../compare-text.js';

// Its own module, so `kc gitops render --help` names it without loading the renderer.
export { RELEASE_FILE };

/** Environment variables that carry `--set` expressions (Application `plugin.env` entries `KC_SET…`). */
const SET_PREFIX = 'ARGOCD_ENV_KC_SET';
/** Environment variable with extra values files, comma-separated (Application `plugin.env` entry `KC_VALUES`). */
const VALUES_VAR = 'ARGOCD_ENV_KC_VALUES';

/** Options of `kc gitops render`. */
export interface GitopsRenderOptions {
  /** The app's source folder (Argo CD runs the plugin in it); default the current directory. */
  dir?: string;
  /** The plugin's environment: ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, KUBE_VERSION, ARGOCD_ENV_KC_*. */
  env: Readonly<Record<string, string | undefined>>;
}

/** What was rendered, and from what (for the log on stderr). */
export interface GitopsRenderResult {
  yaml: string;
  release: string;
  namespace?: string;
  /** The packaged chart, relative to the source folder. */
  chart: string;
  valuesFiles: string[];
  sets: number;
  objects: number;
  kubeVersion?: string;
}

/** The fields of `kc-release.yaml`, all optional. */
interface ReleaseFile {
  chart?: string;
  values?: string[];
  release?: string;
  namespace?: string;
}

const FIELDS = new Set(['chart', 'values', 'release', 'namespace']);

function readReleaseFile(ctx: KcContext, dir: string): ReleaseFile {
  const file = path.join(dir, RELEASE_FILE);
  if (!ctx.fs.exists(file)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(ctx.fs.readText(file));
  } catch (err) {
    throw new KcError('CONFIG_INVALID', `${RELEASE_FILE} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  const hint = `${RELEASE_FILE} takes chart: NAME-VERSION.tgz, values: [FILE…], release: NAME, namespace: NS`;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KcError('CONFIG_INVALID', `${RELEASE_FILE} must be a mapping`, { hint });
  }
  const o = parsed as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) {
    throw new KcError('CONFIG_INVALID', `${RELEASE_FILE}: unknown field "${unknown}"`, { hint });
  }
  for (const k of ['chart', 'release', 'namespace'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) {
      throw new KcError('CONFIG_INVALID', `${RELEASE_FILE}: ${k} must be a non-empty string`, { hint });
    }
  }
  if (o.values !== undefined && (!Array.isArray(o.values) || o.values.some((v) => typeof v !== 'string' || !v))) {
    throw new KcError('CONFIG_INVALID', `${RELEASE_FILE}: values must be a list of file names`, { hint });
  }
  return o as ReleaseFile;
}

/** A file named by the folder or the Application: it must stay inside the source folder. */
function inside(dir: string, file: string, what: string): string {
  const full = path.resolve(dir, file);
  const rel = path.relative(dir, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new KcError('USAGE', `${what} ${file} is outside the app's source folder`, {
      hint: 'name files relative to the folder the Application points at, inside it',
    });
  }
  return full;
}

/** The packaged chart: the one kc-release.yaml names, else the only `*.tgz` of the folder. */
function chartFile(ctx: KcContext, dir: string, named: string | undefined): string {
  if (named !== undefined) {
    if (!named.endsWith('.tgz')) {
      throw new KcError('USAGE', `${RELEASE_FILE}: chart ${named} is not a packaged chart (.tgz)`, {
        hint: 'the plugin renders offline from what `kc package` made: commit its NAME-VERSION.tgz and name it here',
      });
    }
    const full = inside(dir, named, 'chart');
    if (!ctx.fs.exists(full)) {
      throw new KcError('FILE_NOT_FOUND', `the packaged chart ${named} is not in the app's source folder`, {
        hint: 'run `kc package CHART -d FOLDER` and commit the .tgz',
      });
    }
    return full;
  }
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort() : [];
  if (found.length === 1) return path.join(dir, found[0]);
  throw new KcError(found.length ? 'USAGE' : 'FILE_NOT_FOUND', found.length
    ? `the app's source folder holds ${found.length} packaged charts (${found.join(', ')}); which one to render?`
    : 'no packaged chart (.tgz) in the app\'s source folder', {
    hint: found.length
      ? `name it in ${RELEASE_FILE}: chart: ${found[0]}`
      : 'run `kc package CHART -d FOLDER` and commit the .tgz (the plugin never builds or installs anything)',
  });
}

/** `v1.30`, `1.30.2`, `v1.29.1-gke.1589018`, `v1.30.0+k3s1`: Argo CD's KUBE_VERSION. */
function kubeVersion(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const m = /^v?(\d+)\.(\d+)(\.\d+)?([-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  if (!m) {
    throw new KcError('USAGE', `KUBE_VERSION ${JSON.stringify(text)} is not a Kubernetes version`, {
      hint: 'Argo CD sets it to the destination cluster\'s version, e.g. 1.30 or v1.30.2',
    });
  }
  return `v${m[1]}.${m[2]}${m[3] ?? ''}`;
}

/** The plugin parameters an Application may set (`spec.source.plugin.parameters`), as Argo CD passes them. */
export const PLUGIN_PARAMETERS = {
  values: 'values files of the source folder, after the others',
  set: '--set expressions (key: value), after ARGOCD_ENV_KC_SET*',
} as const;

/** The Application's plugin parameters (ARGOCD_APP_PARAMETERS, JSON): `values` (array) and `set` (map). */
function appParameters(text: string | undefined): { values: string[]; sets: SetFlag[] } {
  const out = { values: [] as string[], sets: [] as SetFlag[] };
  if (text === undefined || text.trim() === '') return out;
  const hint = 'set plugin parameters "values" (an array of files) and "set" (a map of key: value) in the Application';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KcError('USAGE', 'ARGOCD_APP_PARAMETERS is not JSON', { hint });
  }
  if (!Array.isArray(parsed)) throw new KcError('USAGE', 'ARGOCD_APP_PARAMETERS is not a list of parameters', { hint });
  for (const p of parsed as { name?: unknown; array?: unknown; map?: unknown; string?: unknown }[]) {
    const name = p && typeof p === 'object' ? p.name : undefined;
    if (name === 'values' && Array.isArray(p.array) && p.array.every((f) => typeof f === 'string')) {
      out.values.push(...(p.array as string[]));
    } else if (name === 'set' && p.map && typeof p.map === 'object' && !Array.isArray(p.map)) {
      const entries = Object.entries(p.map as Record<string, unknown>).sort(([a], [b]) => compareText(a, b));
      for (const [key, value] of entries) {
        out.sets.push({ kind: 'set', text: `${key}=${String(value)}` });
      }
    } else {
      const what = `plugin parameter ${JSON.stringify(name)}`;
      throw new KcError('USAGE', `${what} is not one kc takes, or not of its type (values: array, set: map)`, { hint });
    }
  }
  return out;
}

/** The `--set` expressions of the Application, in the order of their variable names (KC_SET, KC_SET_1, …). */
function envSets(env: GitopsRenderOptions['env']): SetFlag[] {
  return Object.keys(env)
    .filter((k) => k.startsWith(SET_PREFIX) && env[k] !== undefined && env[k] !== '')
    .sort()
    .map((k) => ({ kind: 'set' as const, text: env[k]! }));
}

function refuseLifecycleHooks(objects: readonly Record<string, unknown>[], release: string): void {
  const name = (o: Record<string, unknown>) => String((o.metadata as { name?: string } | undefined)?.name ?? '?');
  const hooks = objects.filter((o) => isHook(o)).map((o) => `${String(o.kind)}/${name(o)}`);
  if (!hooks.length) return;
  throw new KcError('HOOKS_UNSUPPORTED', `release ${release} has ${hooks.length} kc hook(s) Argo CD would not run`, {
    details: hooks,
    hint: 'Argo CD applies every object it is given: make the hook an ordinary object, or deploy with kc',
  });
}

/**
 * Renders the folder's packaged chart as the Application's release: values from kc-release.yaml's files (default
 * `values.yaml` when present), ARGOCD_ENV_KC_VALUES files, the `values` parameter's files, ARGOCD_ENV_KC_SET*
 * expressions, the `set` parameter's; release name ARGOCD_APP_NAME, namespace ARGOCD_APP_NAMESPACE (kc-release.yaml
 * wins for both). Test hooks are left out.
 */
export async function gitopsRender(ctx: KcContext, options: GitopsRenderOptions): Promise<GitopsRenderResult> {
  const { env } = options;
  const dir = path.resolve(ctx.cwd, options.dir ?? '.');
  const spec = readReleaseFile(ctx, dir);
  const chart = chartFile(ctx, dir, spec.chart);
  const release = spec.release ?? env.ARGOCD_APP_NAME;
  if (!release) {
    throw new KcError('USAGE', 'no release name: ARGOCD_APP_NAME is not set', {
      hint: `Argo CD sets it to the Application's name; elsewhere set it, or release: NAME in ${RELEASE_FILE}`,
    });
  }
  const namespace = spec.namespace ?? (env.ARGOCD_APP_NAMESPACE || undefined);
  const version = kubeVersion(env.KUBE_VERSION);
  const defaults = ctx.fs.exists(path.join(dir, 'values.yaml')) ? ['values.yaml'] : [];
  const extra = (env[VALUES_VAR] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const params = appParameters(env.ARGOCD_APP_PARAMETERS);
  const named = [...(spec.values ?? defaults), ...extra, ...params.values];
  const valuesFiles = named.map((f) => {
    const full = inside(dir, f, 'values file');
    if (!ctx.fs.exists(full)) throw new KcError('FILE_NOT_FOUND', `values file ${f} is not in the app's source folder`);
    return full;
  });
  const sets = [...envSets(env), ...params.sets];
  const rendered = await template(ctx, { release, chart, namespace, valuesFiles, sets, skipTests: true });
  refuseLifecycleHooks(rendered.release.objects, release);
  if (rendered.release.objects.length === 0) {
    // Argo CD would take an empty render as "delete everything this Application deployed".
    throw new KcError('CHART_INVALID', `release ${release} renders no objects`, {
      hint: 'check the values (a chart with everything disabled); to remove the release, delete the Application',
    });
  }
  return {
    yaml: rendered.yaml,
    release,
    ...(namespace ? { namespace } : {}),
    chart: path.relative(dir, chart),
    valuesFiles: named,
    sets: sets.length,
    objects: rendered.release.objects.length,
    ...(version ? { kubeVersion: version } : {}),
  };
}
