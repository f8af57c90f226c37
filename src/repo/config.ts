// The repositories the user added (`<configDir>/repositories.yaml`) and their cached indexes
// (`<cacheDir>/repository/<name>-index.yaml`).
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import * as z from '../zod-mini.js';
import { parseIndex, type RepoIndex } from './index-file.js';
import { compareText } from '../compare-text.js';

/** Repository names: what `repo/chart` references start with. */
export const REPO_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** True for an absolute http(s) URL. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/]/i.test(text) && URL.canParse(text);
}

const repoSchema = z.strictObject({ name: z.string().check(z.regex(REPO_NAME)), url: z.string().check(z.refine(isHttpUrl, 'must be an http(s) URL')) });
const fileSchema = z.strictObject({ apiVersion: z.literal('v1'), repositories: z._default(z.array(repoSchema), []) });

/** A repository the user added. */
export type Repository = z.output<typeof repoSchema>;

/** Where repository settings and caches live. */
export interface RepoPaths {
  configDir: string;
  cacheDir: string;
}

/** The repositories file. */
export const repositoriesFile = (p: RepoPaths) => path.join(p.configDir, 'repositories.yaml');

/** The cached index of a repository. */
export const indexCacheFile = (p: RepoPaths, name: string) => path.join(p.cacheDir, 'repository', `${name}-index.yaml`);

/** The repositories the user added, sorted by name (none when the file does not exist). */
export function loadRepositories(p: RepoPaths): Repository[] {
  const file = repositoriesFile(p);
  if (!fs.existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KcError('CONFIG_INVALID', `${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { hint: 'fix or delete the file, then `kc repo add` again' });
  }
  const parsed = fileSchema.safeParse(raw ?? { apiVersion: 'v1' });
  if (!parsed.success) {
    throw new KcError('CONFIG_INVALID', `${file} is invalid: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`, {
      hint: 'fix or delete the file, then `kc repo add` again',
    });
  }
  return [...parsed.data.repositories].sort((a, b) => compareText(a.name, b.name));
}

/** Writes the repositories file (sorted, so it diffs cleanly). */
export function saveRepositories(p: RepoPaths, repos: readonly Repository[]): void {
  const sorted = [...repos].sort((a, b) => compareText(a.name, b.name)).map((r) => ({ name: r.name, url: r.url }));
  writeFileAtomic(repositoriesFile(p), stringify({ apiVersion: 'v1', repositories: sorted }));
}

/** The repository named `name`, or REPO_NOT_FOUND listing the known ones. */
export function repositoryNamed(p: RepoPaths, name: string): Repository {
  const repos = loadRepositories(p);
  const repo = repos.find((r) => r.name === name);
  if (!repo) {
    throw new KcError('REPO_NOT_FOUND', `no repository named "${name}"`, {
      hint: repos.length ? `known repositories: ${repos.map((r) => r.name).join(', ')}; add one with \`kc repo add NAME URL\`` : 'add one with `kc repo add NAME URL`',
    });
  }
  return repo;
}

/** The cached index of a repository, or undefined when it was never downloaded. */
export function cachedIndex(p: RepoPaths, name: string): RepoIndex | undefined {
  const file = indexCacheFile(p, name);
  if (!fs.existsSync(file)) return undefined;
  return parseIndex(fs.readFileSync(file, 'utf8'), file);
}

/** The URL of a repository's index.yaml. */
export function indexUrl(repoUrl: string): string {
  return `${repoUrl.replace(/\/+$/, '')}/index.yaml`;
}
