import path from 'node:path';
import { buildBundle, ChartWorker, configEntry } from '../bundle/index.js';
import { KcError } from '../errors/index.js';
import { configThrewError, projectFileErrors } from './config-failure.js';
import { checkLayerKeys, formatPath, isPlainObject } from '../values/index.js';
import type { EnvironmentConfig } from './define-config.js';
import { projectSchema, type Project } from './project-schema.js';

/** A project file, validated, with the folder it lives in. */
export interface LoadedProject {
  dir: string;
  configFile: string;
  config: Project;
  name: string;
}

/**
 * Bundles kc.config.ts and evaluates it on a worker thread, where `signal` stops it and it cannot end kc, then
 * validates its default export (which crosses back as plain data).
 */
export async function loadProject(
  configFile: string,
  cwd: string,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<LoadedProject> {
  const dir = path.dirname(configFile);
  const label = path.relative(cwd, configFile) || configFile;
  const built = await buildBundle({ entry: configEntry(configFile), resolveDir: dir, label }, cwd, cacheDir);
  const answer = await new ChartWorker({ signal, cwd, errors: projectFileErrors(label) }).config(built);
  if (!answer.ok && answer.failure.kind === 'data') {
    throw new KcError('CONFIG_INVALID', `${label} exports what kc cannot copy: ${answer.failure.message}`, {
      hint: 'a project file exports plain data (strings, numbers, lists, objects): compute values before exporting',
    });
  }
  if (!answer.ok) {
    throw configThrewError(answer.failure, { exports: undefined, file: built.file, bundle: built }, label, cwd);
  }
  const raw = answer.config;
  checkEnvironmentValueKeys(raw, path.basename(configFile));
  const parsed = projectSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KcError('CONFIG_INVALID', `${label} is invalid`, {
      details: parsed.error.issues.map((i) => `${formatPath(i.path as (string | number)[]) || '(default export)'}: ${i.message}`),
      hint: 'export default defineConfig({ app: "./app.ts", environments: { dev: { namespace: "dev" } } })',
    });
  }
  return { dir, configFile, config: parsed.data, name: parsed.data.name ?? path.basename(dir) };
}

/** Refuses reserved keys in the environments' values before validation copies them (and drops a `__proto__`). */
function checkEnvironmentValueKeys(raw: unknown, file: string): void {
  const envs = isPlainObject(raw) && isPlainObject(raw.environments) ? raw.environments : {};
  for (const [name, env] of Object.entries(envs)) {
    if (isPlainObject(env) && isPlainObject(env.values)) checkLayerKeys({ label: `environment "${name}" in ${file}`, values: env.values });
  }
}

/** The named environment, or ENV_UNKNOWN listing the ones the project defines (USAGE for an empty name). */
export function environmentOf(project: LoadedProject, name: string): EnvironmentConfig {
  const envs = project.config.environments ?? {};
  checkEnvName(name, Object.keys(envs));
  // Own keys only: `constructor` or `toString` must not find Object.prototype's members.
  if (Object.hasOwn(envs, name)) return envs[name];
  const known = Object.keys(envs);
  throw new KcError('ENV_UNKNOWN', `environment "${name}" is not defined in ${path.basename(project.configFile)}`, {
    hint: known.length ? `known environments: ${known.join(', ')}` : 'add an `environments` entry to the project file',
  });
}

/** Refuses an empty environment name: an unset shell variable in `--env "$ENV"` must not mean "no environment". */
export function checkEnvName(name: string, known?: string[]): void {
  if (name.trim() !== '') return;
  const hint = known ? `give one of the project's environments: ${known.join(', ') || '(none)'}` : 'give an environment of the project file';
  throw new KcError('USAGE', '--env is empty: an environment name is required', { hint });
}
