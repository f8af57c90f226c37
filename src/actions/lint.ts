import path from 'node:path';
import { loadProject } from '../config/load-project.js';
import { locateTarget } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError, isKcError } from '../errors/index.js';
import {
  SchemaChecker, bundledKubeSchemas, formatFinding, mergeFindings, ruleFindings, serverKubeSchemas, typecheck,
  type KubeSchemaSet, type LintFinding, type ReleaseObject, type RuleFinding,
} from '../lint/index.js';
import type { SetFlag } from '../values/index.js';
import { importedSchemaFiles, readImportedCrds, withImportedCrds } from '../lint/imported-schemas.js';
import { synth } from './synth.js';

/** Options of `kc lint`. */
export interface LintOptions {
  /** Project or chart directory (default: the current directory). */
  target?: string;
  /** Warnings fail too. */
  strict?: boolean;
  /** Kubernetes version whose shipped schemas to validate against (default: the newest shipped). */
  kubeVersion?: string;
  /** Validate against the schemas of the cluster the kubeconfig names instead. */
  server?: boolean;
  kubeconfig?: string;
  context?: string;
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** Run the TypeScript check (default true). */
  typecheck?: boolean;
}

/** What lint checked and found. */
export interface LintResult {
  target: string;
  mode: 'project' | 'chart';
  /** Environments synthesized (empty: the project's default, or a chart). */
  environments: string[];
  kubernetesVersion: string;
  schemaSource: 'bundled' | 'server';
  /** Schema files of imported CRDs (`kc import crd`) the custom resources were validated against. */
  importedSchemas: string[];
  /** TypeScript version used for the type check, if it ran. */
  typescript?: string;
  strict: boolean;
  findings: LintFinding[];
  counts: { error: number; warning: number; info: number };
  passed: boolean;
}

function synthFailure(err: KcError): RuleFinding[] {
  const fix = err.hint ?? 'fix the problem named';
  if (err.code === 'VALUES_INVALID') return err.details.map((d) => ({ level: 'error', rule: 'values', message: d, fix }));
  const message = [err.message, ...err.details].join('; ');
  return [{ level: 'error', rule: 'synth', message: `[${err.code}] ${message}`, fix }];
}

async function schemaSet(ctx: KcContext, options: LintOptions): Promise<{ set: KubeSchemaSet; source: LintResult['schemaSource'] }> {
  if (options.server && options.kubeVersion) {
    throw new KcError('USAGE', '--server and --kube-version exclude each other', { hint: '--server validates against the live cluster\'s own version' });
  }
  if (options.server) {
    const kubeconfig = options.kubeconfig ? path.resolve(ctx.cwd, options.kubeconfig) : undefined;
    return { set: await serverKubeSchemas({ kubeconfig, context: options.context }), source: 'server' };
  }
  return { set: bundledKubeSchemas(options.kubeVersion), source: 'bundled' };
}

/** Synthesizes one environment (or the chart) and checks every object it renders. */
async function lintEnvironment(ctx: KcContext, options: LintOptions, checker: SchemaChecker, env: string | undefined): Promise<LintFinding[]> {
  const envs = env ? [env] : [];
  let objects: ReleaseObject[];
  try {
    const result = await synth(ctx, { target: options.target, env, valuesFiles: options.valuesFiles, sets: options.sets });
    objects = result.releases.flatMap((r) => r.objects.map((object) => ({ release: r.name, object })));
  } catch (err) {
    if (!isKcError(err) || err.code === 'INTERNAL') throw err;
    return synthFailure(err).map((f) => ({ ...f, envs }));
  }
  const found = [...objects.flatMap((ro) => checker.check(ro)), ...ruleFindings(objects)];
  return found.map((f) => ({ ...f, envs }));
}

/**
 * `kc lint [PATH]`: type-checks the sources, synthesizes every environment (values errors become findings),
 * validates each object against a Kubernetes version's OpenAPI schemas and applies the rule checks.
 */
export async function lint(ctx: KcContext, options: LintOptions): Promise<LintResult> {
  const target = locateTarget(ctx.fs, ctx.cwd, options.target);
  const { set, source } = await schemaSet(ctx, options);
  const imported = readImportedCrds(importedSchemaFiles(target.dir), ctx.cwd);
  const checker = new SchemaChecker(withImportedCrds(set, imported));
  let environments: string[] = [];
  if (target.kind === 'project') {
    const project = await loadProject(target.configFile, ctx.cwd, ctx.cacheDir, ctx.signal);
    environments = Object.keys(project.config.environments ?? {});
  }
  const findings: LintFinding[] = [];
  let typescript: string | undefined;
  if (options.typecheck !== false) {
    const checked = await typecheck(target.dir, ctx.cwd);
    typescript = checked.version;
    findings.push(...checked.findings.map((f) => ({ ...f, envs: [] })));
  }
  for (const env of environments.length ? environments : [undefined]) findings.push(...(await lintEnvironment(ctx, options, checker, env)));
  const merged = mergeFindings(findings);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of merged) counts[f.level]++;
  const strict = Boolean(options.strict);
  return {
    target: path.relative(ctx.cwd, target.dir) || '.',
    mode: target.kind,
    environments,
    kubernetesVersion: set.kubernetesVersion,
    schemaSource: source,
    importedSchemas: imported.map((crd) => crd.source),
    typescript,
    strict,
    findings: merged,
    counts,
    passed: counts.error === 0 && (!strict || counts.warning === 0),
  };
}

/** The LINT_FAILED error for a result that did not pass (listing every finding), else undefined. */
export function lintFailure(result: LintResult): KcError | undefined {
  if (result.passed) return undefined;
  const { error, warning } = result.counts;
  const what = [error ? `${error} error(s)` : '', result.strict && warning ? `${warning} warning(s) (--strict)` : ''].filter(Boolean).join(' and ');
  return new KcError('LINT_FAILED', `lint found ${what} in ${result.target}`, {
    details: result.findings.map(formatFinding),
    hint: 'fix each finding as its "fix" says; warnings fail only with --strict',
  });
}
