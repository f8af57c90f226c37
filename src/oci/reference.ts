// `oci://host[:port]/path/name[:tag][@sha256:hex]` references, parsed strictly by the distribution spec's rules.
import { KcError } from '../errors/index.js';
import type { OciReference, RepositoryRef } from './types.js';

/** A repository path component: lower-case alphanumerics joined by `.`, `_`, `__` or `-`s (distribution spec). */
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** A tag: at most 128 characters, not starting with `.` or `-`. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** A sha256 digest, the only algorithm kc accepts. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** host[:port]: a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
/** The spec bounds a repository name (host excluded here) to 255 characters in practice (distribution's limit). */
const MAX_REPOSITORY = 255;

const EXAMPLE = 'oci://HOST[:PORT]/PATH/NAME[:TAG][@sha256:DIGEST], e.g. oci://127.0.0.1:5000/charts/mysql:1.0.0';

function usage(input: string, problem: string, hint = `write it as ${EXAMPLE}`): KcError {
  return new KcError('USAGE', `${JSON.stringify(input.slice(0, 300))} is not a valid OCI reference: ${problem}`, {
    hint,
  });
}

/** True when `input` starts with `oci://` (so it is meant as a registry reference, valid or not). */
export function isOciReference(input: string): boolean {
  return /^oci:\/\//i.test(input);
}

/** Parses `oci://…` strictly; a USAGE error names what is wrong and how to write it. */
export function parseOciReference(input: string): OciReference {
  if (!isOciReference(input)) throw usage(input, 'it does not start with oci://');
  let rest = input.slice('oci://'.length);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw usage(input, `the digest "${digest.slice(0, 80)}" is not sha256: followed by 64 lower-case hex digits`);
    }
  }
  const slash = rest.indexOf('/');
  if (slash < 0) throw usage(input, 'it names a registry but no repository');
  const registry = rest.slice(0, slash);
  if (!registry) throw usage(input, 'the registry host is empty');
  if (!HOST.test(registry.toLowerCase())) throw usage(input, `"${registry}" is not a registry host[:port]`);
  let path = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) {
      throw usage(
        input,
        `the tag "${tag.slice(0, 80)}" is not valid`,
        'a tag is 1-128 letters, digits, "_", "." or "-", ' +
          'not starting with "." or "-" (a chart version\'s "+" is written "_")',
      );
    }
  }
  checkRepository(input, path);
  return { registry: registry.toLowerCase(), repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function checkRepository(input: string, path: string): void {
  if (!path) throw usage(input, 'the repository path is empty');
  if (path.length > MAX_REPOSITORY)
    throw usage(input, `the repository path is longer than ${MAX_REPOSITORY} characters`);
  for (const part of path.split('/')) {
    if (COMPONENT.test(part)) continue;
    const why =
      part === ''
        ? 'an empty path component ("//" or a trailing "/")'
        : part !== part.toLowerCase()
          ? `"${part}" has upper-case letters (repository paths are lower case)`
          : `"${part}" may hold only lower-case letters and digits, joined by ".", "_", "__" or "-"`;
    throw usage(input, why);
  }
}

/** `oci://registry/repository[:tag][@digest]`, the inverse of parseOciReference. */
export function formatOciReference(ref: OciReference): string {
  return `oci://${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `registry/repository`, as a repository is named in messages and cosign payloads. */
export function repositoryName(repo: RepositoryRef): string {
  return `${repo.registry}/${repo.repository}`;
}

/** Docker Hub's API host for `docker.io` (and its aliases); any other registry is its own host. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

/** The repository path as the registry's API names it: Docker Hub's one-part names live under `library/`. */
export function apiRepository(repo: RepositoryRef): string {
  return apiHost(repo.registry) === 'registry-1.docker.io' && !repo.repository.includes('/')
    ? `library/${repo.repository}`
    : repo.repository;
}

/** A chart version as a tag: `+` (build metadata) is not allowed in tags, so it becomes `_`, as Helm does. */
export function versionTag(version: string): string {
  return version.replaceAll('+', '_');
}

/** A tag as a chart version: the inverse of versionTag. */
export function tagVersion(tag: string): string {
  return tag.replaceAll('_', '+');
}
