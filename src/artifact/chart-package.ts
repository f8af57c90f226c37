// A chart directory is an npm-style package: package.json names it, versions it and declares its dependencies.
import semver from 'semver';
import { KcError } from '../errors/index.js';
import * as z from '../zod-mini.js';
import { CHART_NAME } from './format.js';

/** A dependency as package.json declares it: a chart from a repository, by semver range. */
export const declaredDependencySchema = z.strictObject({
  name: z.string().check(z.regex(CHART_NAME, 'must be a chart name (a DNS label)')),
  version: z.string().check(z.refine((r) => semver.validRange(r) !== null, 'must be a semver range such as ^1.2.0')),
  /** A repository added with `kc repo add`, the URL of one, or `oci://HOST/PATH` (the chart is PATH/<name>). */
  repository: z.string().check(z.minLength(1)),
});

/** A declared dependency. */
export type DeclaredDependency = z.output<typeof declaredDependencySchema>;

const packageSchema = z.object({
  name: z.string().check(z.regex(CHART_NAME, 'must be a DNS label (lowercase letters, digits, "-"), at most 63 characters'), z.maxLength(63)),
  version: z.string().check(z.refine((v) => semver.valid(v) === v, 'must be a semantic version such as 1.2.3')),
  description: z.optional(z.string()),
  appVersion: z.optional(z.string().check(z.minLength(1))),
  keywords: z.optional(z.array(z.string())),
  kc: z.optional(z.object({ chart: z.optional(z.string()), dependencies: z.optional(z.array(declaredDependencySchema)) })),
});

/** What packaging needs from a chart's package.json. */
export interface ChartPackage {
  name: string;
  version: string;
  description?: string;
  appVersion?: string;
  keywords: string[];
  dependencies: DeclaredDependency[];
}

/** Validates a chart's package.json (`label` names the file in errors). */
export function chartPackageOf(packageJson: Record<string, unknown> | undefined, label: string): ChartPackage {
  if (!packageJson) {
    throw new KcError('CHART_INVALID', `${label} is missing`, {
      hint: 'a chart to package needs a package.json with name, version and description',
    });
  }
  const parsed = packageSchema.safeParse(packageJson);
  if (!parsed.success) {
    throw new KcError('CHART_INVALID', `${label} is invalid`, {
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      hint: 'fix the fields named; see charts/mysql/package.json for an example',
    });
  }
  const p = parsed.data;
  const names = new Set<string>();
  for (const dep of p.kc?.dependencies ?? []) {
    if (names.has(dep.name)) throw new KcError('CHART_INVALID', `${label}: dependency ${dep.name} is declared twice`, { hint: 'declare each dependency once' });
    names.add(dep.name);
  }
  return {
    name: p.name,
    version: p.version,
    description: p.description,
    appVersion: p.appVersion,
    keywords: p.keywords ?? [],
    dependencies: p.kc?.dependencies ?? [],
  };
}

/** Checks a version given on the command line (`kc package --version`). */
export function checkVersion(version: string, flag: string): string {
  if (semver.valid(version) !== version) {
    throw new KcError('USAGE', `${flag} ${version}: not a semantic version`, { hint: 'use a version such as 1.2.3 or 1.2.3-rc.1' });
  }
  return version;
}

/** The dependencies declared in a chart directory's package.json, without validating anything else. */
export function declaredDependencies(packageJson: Record<string, unknown> | undefined, label: string): DeclaredDependency[] {
  const raw = (packageJson?.kc as { dependencies?: unknown } | undefined)?.dependencies;
  if (raw === undefined) return [];
  const parsed = z.array(declaredDependencySchema).safeParse(raw);
  if (!parsed.success) {
    throw new KcError('CHART_INVALID', `${label}: kc.dependencies is invalid`, {
      details: parsed.error.issues.map((i) => `kc.dependencies.${i.path.join('.')}: ${i.message}`),
      hint: 'each dependency is { "name": "mysql", "version": "^1.0.0", "repository": "stable" }',
    });
  }
  return parsed.data;
}
