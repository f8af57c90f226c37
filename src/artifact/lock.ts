// kc.lock.json pins each declared dependency to one version and the sha256 of its artifact in charts/.
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { KcError } from '../errors/index.js';
import * as z from '../zod-mini.js';
import type { DeclaredDependency } from './chart-package.js';
import { dependencyEntry, lockedDependencySchema, sha256, type LockedDependency } from './format.js';
import { compareText } from '../compare-text.js';

/** The lock file's name, next to package.json. */
export const LOCK_FILE = 'kc.lock.json';

const lockSchema = z.strictObject({ lockVersion: z.literal(1), dependencies: z.array(lockedDependencySchema) });

/** The lock file as data. */
export type DependencyLock = z.output<typeof lockSchema>;

/** The lock file's text: dependencies sorted by name, fixed key order, no timestamps (same inputs, same bytes). */
export function lockJson(dependencies: readonly LockedDependency[]): string {
  const sorted = [...dependencies].sort((a, b) => compareText(a.name, b.name));
  const lock = { lockVersion: 1, dependencies: sorted.map((d) => ({ name: d.name, version: d.version, range: d.range, repository: d.repository, digest: d.digest })) };
  return JSON.stringify(lock, null, 2) + '\n';
}

/** Reads `dir/kc.lock.json`, or undefined when there is none. */
export function readLock(dir: string): DependencyLock | undefined {
  const file = path.join(dir, LOCK_FILE);
  if (!fs.existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KcError('DEPENDENCY_LOCK_STALE', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'run `kc dependency update` to rewrite it' });
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KcError('DEPENDENCY_LOCK_STALE', `${file} is invalid: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`, {
      hint: 'run `kc dependency update` to rewrite it',
    });
  }
  return parsed.data;
}

/** Each reason the lock does not match the declared dependencies or the files in charts/ (empty when it does). */
export function lockProblems(dir: string, declared: readonly DeclaredDependency[], lock: DependencyLock | undefined): string[] {
  if (declared.length === 0 && (!lock || lock.dependencies.length === 0)) return [];
  if (!lock) return [`package.json declares ${declared.map((d) => d.name).join(', ')} but there is no ${LOCK_FILE}`];
  const problems: string[] = [];
  const locked = new Map(lock.dependencies.map((d) => [d.name, d]));
  for (const dep of declared) {
    const entry = locked.get(dep.name);
    if (!entry) problems.push(`${dep.name} is declared but not locked`);
    else if (entry.repository !== dep.repository) problems.push(`${dep.name} is locked from repository ${entry.repository}, but package.json says ${dep.repository}`);
    else if (!semver.satisfies(entry.version, dep.version, { includePrerelease: true })) problems.push(`${dep.name} is locked at ${entry.version}, which does not satisfy ${dep.version}`);
    else if (entry.range !== dep.version) problems.push(`${dep.name} was locked for range ${entry.range}, but package.json now says ${dep.version}`);
  }
  const declaredNames = new Set(declared.map((d) => d.name));
  for (const entry of lock.dependencies) {
    if (!declaredNames.has(entry.name)) {
      problems.push(`${entry.name} is locked but package.json no longer declares it`);
      continue;
    }
    const file = path.join(dir, dependencyEntry(entry));
    if (!fs.existsSync(file)) problems.push(`${dependencyEntry(entry)} is missing`);
    else if (sha256(fs.readFileSync(file)) !== entry.digest) problems.push(`${dependencyEntry(entry)} does not have the sha256 the lock records`);
  }
  return problems;
}

/** Throws DEPENDENCY_LOCK_STALE unless the chart's lock and charts/ match its declared dependencies. */
export function checkLock(dir: string, declared: readonly DeclaredDependency[], label: string): DependencyLock | undefined {
  const lock = readLock(dir);
  const problems = lockProblems(dir, declared, lock);
  if (problems.length > 0) {
    throw new KcError('DEPENDENCY_LOCK_STALE', `the dependencies of ${label} are out of date with ${LOCK_FILE}`, {
      details: problems,
      hint: `run \`kc dependency update ${label}\``,
    });
  }
  return lock;
}
