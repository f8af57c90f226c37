// The registry client of the distribution spec: manifests, blobs and tags over the transport, with the token flow on
// 401 and every digest checked against the bytes.
import crypto from 'node:crypto';
import { KcError } from '../errors/index.js';
import { authenticator, scopeText, type Authenticator, type Authorization } from './auth.js';
import { apiHost, apiRepository, DIGEST, repositoryName, TAG } from './reference.js';
import { accessDenied, authFailed, digestMismatch, invalidResponse, unexpectedStatus } from './registry-errors.js';
import {
  ociTransport,
  TRANSPORT_LIMITS,
  type OciRequest,
  type OciResponse,
  type OciTransport,
  type TransportLimits,
} from './transport.js';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from './media-types.js';
import type { CredentialStore, Descriptor, RegistryClient, RegistryConnection, RepositoryRef } from './types.js';

/** Limits of a registry client. */
export interface RegistryLimits extends TransportLimits {
  /** Distribution refuses manifests over 4 MiB; kc refuses to read larger ones. */
  maxManifestBytes: number;
  /** Pages of a tag list followed (Link rel=next), and tags kept in all. */
  maxTagPages: number;
  maxTags: number;
}

/** Defaults: 4 MiB manifests, 100 pages and 100 000 tags, the transport's time and redirect bounds. */
export const REGISTRY_LIMITS: RegistryLimits = {
  ...TRANSPORT_LIMITS,
  maxManifestBytes: 4 * 1024 * 1024,
  maxTagPages: 100,
  maxTags: 100_000,
};

/** What a registry client is made of. */
export interface RegistryClientOptions {
  connection: RegistryConnection;
  credentials: CredentialStore;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  limits?: Partial<RegistryLimits>;
  /** The clock of the token cache. */
  now?: () => number;
}

/** The manifest and index types a registry is asked for. */
export const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST] as const;

const sha256 = (bytes: Buffer) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;

/** The registry's own error text (`{"errors":[{"code","message"}]}`), shortened and printable; '' if none. */
function registryDetail(res: OciResponse): string {
  try {
    const first = (JSON.parse(res.body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] })
      .errors?.[0];
    const text = [first?.code, first?.message].filter((p) => typeof p === 'string' && p).join(': ');
    return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  } catch {
    return '';
  }
}

/** A plain header value (the first of repeated ones). */
function header(res: OciResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkReference(repo: RepositoryRef, reference: string): void {
  if (TAG.test(reference) || DIGEST.test(reference)) return;
  throw new KcError(
    'USAGE',
    `"${reference.slice(0, 80)}" is neither a tag nor a sha256 digest (for ${repositoryName(repo)})`,
    {
      hint: 'a tag is 1-128 letters, digits, "_", "." or "-"; a digest is sha256: and 64 hex digits',
    },
  );
}

/** The base URL of a registry's API: `https://HOST/v2/` (http with plainHttp). */
export function registryBaseUrl(connection: RegistryConnection, registry: string): URL {
  return new URL(`${connection.plainHttp ? 'http' : 'https'}://${apiHost(registry)}/v2/`);
}

/** A client for the registries reached as `connection` says, with credentials from `credentials`. */
export function registryClient(options: RegistryClientOptions): RegistryClient {
  const limits = { ...REGISTRY_LIMITS, ...options.limits };
  const { connection } = options;
  const transports = new Map<string, OciTransport>();
  const transport = (registry: string) => {
    let t = transports.get(registry);
    if (!t) transports.set(registry, (t = ociTransport(apiHost(registry), connection, options.env, limits)));
    return t;
  };
  const authn = authenticator({ transport, plainHttp: !!connection.plainHttp, now: options.now }, options.credentials);
  const call = callWithAuth(transport, authn);
  const url = (repo: RepositoryRef, rest: string) =>
    new URL(`${apiRepository(repo)}/${rest}`, registryBaseUrl(connection, repo.registry));
  const pullScope = (repo: RepositoryRef) => `repository:${apiRepository(repo)}:pull`;
  const pushScope = (repo: RepositoryRef) => `repository:${apiRepository(repo)}:pull,push`;

  function failure(what: string, res: OciResponse): KcError {
    const detail = registryDetail(res);
    if (res.status === 404) {
      return new KcError('CHART_NOT_FOUND', `${what}: not found${detail ? ` (${detail})` : ''}`, {
        hint: 'check the reference: the registry has no such repository, tag or digest',
      });
    }
    const error = unexpectedStatus(what, res.status, detail);
    if (res.status === 400 && connection.plainHttp) {
      return new KcError(error.code, error.message, { hint: 'if the registry serves https, leave out --plain-http' });
    }
    return error;
  }

  return {
    async getManifest(repo, reference, accept = MANIFEST_TYPES) {
      checkReference(repo, reference);
      const what = `the manifest ${repositoryName(repo)}${DIGEST.test(reference) ? '@' : ':'}${reference}`;
      const request: OciRequest = {
        method: 'GET',
        url: url(repo, `manifests/${reference}`),
        headers: { accept: accept.join(', ') },
        maxBytes: limits.maxManifestBytes,
        what,
      };
      const res = await call(repo, pullScope(repo), request, false);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw failure(what, res);
      const digest = sha256(res.body);
      if (DIGEST.test(reference) && digest !== reference)
        throw digestMismatch(what, digest, reference, 'the reference');
      const served = header(res, 'docker-content-digest');
      if (served && DIGEST.test(served) && served !== digest)
        throw digestMismatch(what, digest, served, 'the registry');
      return { bytes: res.body, digest, mediaType: manifestMediaType(res, what) };
    },

    async getReferrers(repo, digest) {
      checkReference(repo, digest);
      const what = `the referrers of ${repositoryName(repo)}@${digest}`;
      const request: OciRequest = {
        method: 'GET',
        url: url(repo, `referrers/${digest}`),
        headers: { accept: OCI_INDEX },
        maxBytes: limits.maxManifestBytes,
        what,
      };
      const res = await call(repo, pullScope(repo), request, false);
      // No referrers API (the CNCF registry v3, many hosted ones; some answer 400/405): the caller reads the
      // sha256-<hex> fallback tag instead.
      if (res.status === 404 || res.status === 400 || res.status === 405) return undefined;
      if (res.status !== 200) throw failure(what, res);
      // A referrers list changes as signatures are added: it has no digest to check, only its first page is read.
      return { bytes: res.body, digest: sha256(res.body), mediaType: OCI_INDEX };
    },

    async putManifest(repo, reference, bytes, mediaType) {
      checkReference(repo, reference);
      const what = `storing the manifest ${repositoryName(repo)}:${reference}`;
      const request: OciRequest = {
        method: 'PUT',
        url: url(repo, `manifests/${reference}`),
        headers: { 'content-type': mediaType },
        body: bytes,
        maxBytes: 64 * 1024,
        what,
      };
      const res = await call(repo, pushScope(repo), request, true);
      if (res.status !== 201 && res.status !== 200) throw failure(what, res);
      const digest = sha256(bytes);
      const served = header(res, 'docker-content-digest');
      if (served && DIGEST.test(served) && served !== digest)
        throw digestMismatch(what, digest, served, 'the registry');
      return digest;
    },

    async getBlob(repo, digest, maxBytes) {
      checkReference(repo, digest);
      const what = `the blob ${repositoryName(repo)}@${digest}`;
      const request: OciRequest = {
        method: 'GET',
        url: url(repo, `blobs/${digest}`),
        maxBytes,
        what,
        followRedirects: true,
      };
      const res = await call(repo, pullScope(repo), request, false);
      if (res.status !== 200) throw failure(what, res);
      const actual = sha256(res.body);
      if (actual !== digest) throw digestMismatch(what, actual, digest, 'its reference');
      return res.body;
    },

    async pushBlob(repo, bytes, mediaType) {
      const digest = sha256(bytes);
      const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
      const what = `uploading the blob ${digest} to ${repositoryName(repo)}`;
      const scope = pushScope(repo);
      const head: OciRequest = { method: 'HEAD', url: url(repo, `blobs/${digest}`), maxBytes: 64 * 1024, what };
      const exists = await call(repo, scope, head, true);
      if (exists.status === 200) return descriptor;
      const post: OciRequest = {
        method: 'POST',
        url: url(repo, 'blobs/uploads/'),
        maxBytes: 64 * 1024,
        what,
        body: Buffer.alloc(0),
      };
      const started = await call(repo, scope, post, true);
      const location = header(started, 'location');
      if (started.status !== 202) throw failure(what, started);
      if (!location) throw invalidResponse(what, 'the registry started an upload but gave no Location');
      let target: URL;
      try {
        target = new URL(location, started.url);
      } catch {
        throw invalidResponse(what, 'the upload Location is not a URL');
      }
      target.searchParams.set('digest', digest);
      const headers = { 'content-type': 'application/octet-stream' };
      const put: OciRequest = { method: 'PUT', url: target, headers, body: bytes, maxBytes: 64 * 1024, what };
      // The upload URL may be on another host (storage): the Authorization header goes to the registry's origin only.
      const sameOrigin = target.origin === registryBaseUrl(connection, repo.registry).origin;
      const done = await call(repo, scope, put, true, sameOrigin);
      if (done.status !== 201) throw failure(what, done);
      const served = header(done, 'docker-content-digest');
      if (served && DIGEST.test(served) && served !== digest)
        throw digestMismatch(what, digest, served, 'the registry');
      return descriptor;
    },

    async listTags(repo) {
      const what = `the tags of ${repositoryName(repo)}`;
      const tags: string[] = [];
      let next: URL | undefined = url(repo, 'tags/list');
      next.searchParams.set('n', '1000');
      const origin = next.origin;
      for (let page = 0; next; page++) {
        if (page >= limits.maxTagPages) {
          throw new KcError('FETCH_FAILED', `${what}: more than ${limits.maxTagPages} pages`, {
            hint: 'the registry keeps sending a next page; name a tag or digest instead of a version range',
          });
        }
        const request: OciRequest = {
          method: 'GET',
          url: next,
          headers: { accept: 'application/json' },
          maxBytes: 4 * 1024 * 1024,
          what,
        };
        const res = await call(repo, pullScope(repo), request, false);
        if (res.status !== 200) throw failure(what, res);
        tags.push(...parseTags(res.body, what));
        if (tags.length > limits.maxTags) throw invalidResponse(what, `more than ${limits.maxTags} tags`);
        next = nextPage(res, origin, what);
      }
      return tags;
    },
  };
}

function manifestMediaType(res: OciResponse, what: string): string {
  const type = header(res, 'content-type')?.split(';')[0].trim().toLowerCase();
  if (type && type !== 'application/json' && type !== 'application/octet-stream') return type;
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    throw invalidResponse(what, 'the manifest is not JSON');
  }
  throw invalidResponse(what, 'the registry did not say what kind of manifest it is (no media type)');
}

function parseTags(body: Buffer, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidResponse(what, 'the tag list is not JSON');
  }
  const tags = (parsed as { tags?: unknown } | null)?.tags;
  // Distribution answers `"tags": null` for a repository whose tags were all deleted.
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
    throw invalidResponse(what, 'tags is not a list of strings');
  return tags;
}

/** The next page of a tag list from its Link header (`<…>; rel="next"`), on the registry's own origin only. */
function nextPage(res: OciResponse, origin: string, what: string): URL | undefined {
  const link = header(res, 'link');
  if (!link) return undefined;
  const m = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(link);
  if (!m) return undefined;
  let next: URL;
  try {
    next = new URL(m[1], res.url);
  } catch {
    throw invalidResponse(what, 'the next page link is not a URL');
  }
  if (next.origin !== origin) throw invalidResponse(what, `the next page link leads to another host (${next.host})`);
  return next;
}

type Call = (
  repo: RepositoryRef,
  scope: string,
  request: OciRequest,
  push: boolean,
  withAuth?: boolean,
) => Promise<OciResponse>;

/** Sends a request with the cached authorization; on 401 answers the challenge and retries once; 403 is an error. */
function callWithAuth(transport: (registry: string) => OciTransport, authn: Authenticator): Call {
  const send = (t: OciTransport, request: OciRequest, auth: Authorization | undefined) =>
    t.send(auth ? { ...request, headers: { ...request.headers, authorization: auth.header } } : request);
  return async (repo, scope, request, push, withAuth = true) => {
    const { registry } = repo;
    const t = transport(registry);
    let auth = withAuth ? authn.cached(registry, scope) : undefined;
    let res = await send(t, request, auth);
    if (res.status === 401 && withAuth) {
      auth = await authn.authorize(registry, res.headers['www-authenticate'], scope);
      res = await send(t, request, auth);
      if (res.status === 401) {
        authn.forget(registry, scope);
        throw authFailed(registry, auth.hadCredentials, scopeText(scope));
      }
    }
    if (res.status === 401) throw authFailed(registry, false, scopeText(scope));
    if (res.status === 403) throw accessDenied(registry, repo.repository, push);
    return res;
  };
}

/** Checks that `credentials` open the registry (GET /v2/ with the token flow), as `kc registry login` does first. */
export async function checkLogin(
  connection: RegistryConnection,
  registry: string,
  credentials: CredentialStore,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const t = ociTransport(apiHost(registry), connection, env, TRANSPORT_LIMITS);
  const authn = authenticator({ transport: () => t, plainHttp: !!connection.plainHttp }, credentials);
  const request: OciRequest = {
    method: 'GET',
    url: registryBaseUrl(connection, registry),
    maxBytes: 64 * 1024,
    what: `${registry}/v2/`,
  };
  let res = await t.send(request);
  if (res.status === 401) {
    const auth = await authn.authorize(registry, res.headers['www-authenticate'], '');
    res = await t.send({ ...request, headers: { authorization: auth.header } });
    if (res.status === 401 || res.status === 403) throw authFailed(registry, auth.hadCredentials, 'its API');
  }
  if (res.status !== 200) throw unexpectedStatus(`logging in to ${registry}`, res.status, registryDetail(res));
}
