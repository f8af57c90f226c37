// Docker's config.json (and the files in its format that Helm and podman write): where it is, what an entry means,
// which key names a registry, and how kc writes it back. Errors name the file and the key, never a value in it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import type { RegistryCredentials } from './types.js';
import { compareText } from '../compare-text.js';

/** Where registry credentials are looked for: the environment and home folder (the process's when unset). */
export interface DockerConfigOptions {
  /** DOCKER_CONFIG, HELM_REGISTRY_CONFIG, HELM_CONFIG_HOME, XDG_CONFIG_HOME, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, PATH. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The user's home folder. */
  home?: string;
}

/** Which tool's file an entry came from (Docker's is the one kc writes; the others are read as fallbacks). */
export type ConfigSource = 'docker' | 'helm' | 'containers';

/** One `auths` entry, as Docker's types.AuthConfig spells its fields in the file. */
export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** A config file in Docker's format, read and checked. */
export interface DockerConfig {
  file: string;
  source: ConfigSource;
  /** False when the file does not exist (then every field below is empty). */
  exists: boolean;
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

/** The largest config file kc reads (Docker's are a few KiB; a bigger one is not a config). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** The names Docker Hub is known by; Docker keys its credentials under INDEX_SERVER. */
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** The key `docker login` writes for Docker Hub. */
export const INDEX_SERVER = 'https://index.docker.io/v1/';
const ENTRY_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;

const envOf = (o: DockerConfigOptions) => o.env ?? process.env;
const homeOf = (o: DockerConfigOptions) => o.home ?? os.homedir();

/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(options: DockerConfigOptions = {}): string {
  const dir = envOf(options).DOCKER_CONFIG;
  return path.join(dir ? dir : path.join(homeOf(options), '.docker'), 'config.json');
}

/** Helm's and podman's credential files, in the order they are consulted after Docker's (read only). */
export function fallbackConfigPaths(options: DockerConfigOptions = {}): { file: string; source: ConfigSource }[] {
  const env = envOf(options);
  const home = homeOf(options);
  const helmHome = env.HELM_CONFIG_HOME || path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'helm');
  const files: { file: string; source: ConfigSource }[] = [
    { file: env.HELM_REGISTRY_CONFIG || path.join(helmHome, 'registry', 'config.json'), source: 'helm' },
  ];
  // containers-auth.json(5): REGISTRY_AUTH_FILE replaces the default files rather than coming before them.
  if (env.REGISTRY_AUTH_FILE) files.push({ file: env.REGISTRY_AUTH_FILE, source: 'containers' });
  else {
    if (env.XDG_RUNTIME_DIR)
      files.push({ file: path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'), source: 'containers' });
    files.push({ file: path.join(home, '.config', 'containers', 'auth.json'), source: 'containers' });
  }
  return files;
}

function invalid(file: string, problem: string, source: ConfigSource = 'docker'): KcError {
  const writer =
    source === 'docker'
      ? '`kc registry login` or `docker login`'
      : source === 'helm'
        ? '`helm registry login`'
        : '`podman login`';
  return new KcError('CONFIG_INVALID', `${file}: ${problem}`, {
    hint: `fix the file, or move it away and log in again with ${writer}`,
  });
}

/** The file's JSON object; undefined when it does not exist. */
function readJsonObject(file: string, source: ConfigSource): Record<string, unknown> | undefined {
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_CONFIG_BYTES)
      throw invalid(file, `larger than ${MAX_CONFIG_BYTES >> 20} MiB`, source);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof KcError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw invalid(file, `cannot be read (${code ?? 'error'})`, source);
  }
  // Docker takes an empty file as an empty config.
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error: it could be a password, so it is not shown.
    throw invalid(file, 'is not valid JSON', source);
  }
  if (!isObject(value)) throw invalid(file, 'is not a JSON object', source);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAuths(file: string, source: ConfigSource, value: unknown): Record<string, AuthEntry> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(file, '"auths" is not an object', source);
  const auths: Record<string, AuthEntry> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!isObject(entry)) throw invalid(file, `auths[${JSON.stringify(key)}] is not an object`, source);
    const checked: AuthEntry = {};
    for (const field of ENTRY_FIELDS) {
      const v = entry[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw invalid(file, `auths[${JSON.stringify(key)}].${field} is not a string`, source);
      checked[field] = v;
    }
    auths[key] = checked;
  }
  return auths;
}

function checkHelpers(file: string, source: ConfigSource, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(file, '"credHelpers" is not an object', source);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(file, `credHelpers[${JSON.stringify(key)}] is not a string`, source);
  }
  return value as Record<string, string>;
}

/** Reads and checks one config file; a missing file is an empty config, a malformed one CONFIG_INVALID. */
export function readDockerConfig(file: string, source: ConfigSource = 'docker'): DockerConfig {
  const raw = readJsonObject(file, source);
  if (!raw) return { file, source, exists: false, auths: {}, credHelpers: {} };
  const credsStore = raw.credsStore;
  if (credsStore !== undefined && credsStore !== null && typeof credsStore !== 'string') {
    throw invalid(file, '"credsStore" is not a string', source);
  }
  return {
    file,
    source,
    exists: true,
    auths: checkAuths(file, source, raw.auths),
    credHelpers: checkHelpers(file, source, raw.credHelpers),
    credsStore: credsStore || undefined,
  };
}

/** A registry host as kc names it: lower case, Docker Hub's aliases as `docker.io`. */
export function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  return HUB_HOSTS.has(lower) ? 'docker.io' : lower;
}

/** The address Docker files a registry's credentials under: the host, or INDEX_SERVER for Docker Hub. */
export function serverAddress(registry: string): string {
  const host = canonicalHost(registry);
  return host === 'docker.io' ? INDEX_SERVER : host;
}

/** The host a key names (Docker's ConvertToHostname): without `http(s)://` and anything from the first `/`. */
export function keyHost(key: string): string {
  const stripped = key.replace(/^https?:\/\//i, '');
  return canonicalHost(stripped.split('/')[0]);
}

/**
 * The key under which `map` holds `registry`, matched as Docker does: the exact address first, then any key naming
 * the same host (legacy keys written as URLs such as `https://host/v1/`), those without a path before the others.
 */
export function matchKey(map: Record<string, unknown>, registry: string): string | undefined {
  const address = serverAddress(registry);
  const host = canonicalHost(registry);
  if (Object.hasOwn(map, address)) return address;
  if (Object.hasOwn(map, host)) return host;
  const candidates = Object.keys(map).filter((k) => keyHost(k) === host);
  const pathLength = (k: string) => k.replace(/^https?:\/\//i, '').replace(/\/+$/, '').length;
  return candidates.sort((a, b) => pathLength(a) - pathLength(b) || compareText(a, b))[0];
}

/** Every key of `map` that names `registry` (what a logout removes). */
export function matchingKeys(map: Record<string, unknown>, registry: string): string[] {
  const host = canonicalHost(registry);
  return Object.keys(map).filter((k) => k === serverAddress(registry) || keyHost(k) === host);
}

/** The credential helper suffix Docker would use for `registry`: its `credHelpers` entry, else `credsStore`. */
export function helperFor(config: DockerConfig, registry: string): string | undefined {
  const key = matchKey(config.credHelpers, registry);
  return (key !== undefined ? config.credHelpers[key] : undefined) || config.credsStore;
}

/**
 * What an `auths` entry grants, checked as Docker decodes it: a registry token is sent as is, an identity token is
 * exchanged, else `auth` (base64 of user:password) or `username`/`password`. An empty entry grants nothing.
 */
export function entryCredentials(config: DockerConfig, key: string): RegistryCredentials | undefined {
  const entry = config.auths[key];
  if (!entry) return undefined;
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken };
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  let { username, password } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/=\s]+$/.test(entry.auth) || colon <= 0) {
      throw invalid(
        config.file,
        `auths[${JSON.stringify(key)}].auth is not the base64 of "user:password"`,
        config.source,
      );
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) return undefined;
  return { kind: 'basic', username, password };
}

/** The `auths` entry Docker writes for credentials kept in the file. */
export function authEntry(credentials: RegistryCredentials): AuthEntry {
  if (credentials.kind === 'identity-token') return { identitytoken: credentials.token };
  if (credentials.kind === 'registry-token') return { registrytoken: credentials.token };
  return { auth: Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64') };
}

/**
 * Changes the file's JSON with `change` and writes it back atomically (a temporary file, then rename), mode 0600, its
 * folder created when missing. Keys kc does not touch are kept as they were; a symlinked file is written at its target.
 */
export function updateDockerConfig(file: string, change: (raw: Record<string, unknown>) => void): void {
  const raw = readJsonObject(file, 'docker') ?? {};
  change(raw);
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    // Not there yet: written where it was looked for.
  }
  const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    // Docker indents with a tab; 'wx' refuses a file planted at the temporary name.
    fs.writeFileSync(tmp, `${JSON.stringify(raw, null, '\t')}\n`, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, target);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Its folder is not there: neither is it.
    }
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new KcError('CONFIG_INVALID', `cannot write ${target} (${code})`, {
      hint: 'check that the folder is writable, or point DOCKER_CONFIG at a folder that is',
      cause: err,
    });
  }
}
