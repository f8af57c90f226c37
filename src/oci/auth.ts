// Answers a registry's 401: Basic credentials, or the token flow of the distribution spec (GET the realm with Basic
// credentials or anonymously; POST a refresh token for an identity token), with tokens cached per registry and scope
// for their lifetime. No credential or token ever goes into an error message.
import { parseChallenges, type Challenge } from './challenge.js';
import { authFailed, invalidResponse, unexpectedStatus } from './registry-errors.js';
import type { OciTransport } from './transport.js';
import type { CredentialStore, RegistryCredentials } from './types.js';

/** An Authorization header value, and whether the user's credentials went into it. */
export interface Authorization {
  header: string;
  hadCredentials: boolean;
}

/** Authorization for requests to registries: cached headers, and answering challenges. */
export interface Authenticator {
  /** The header cached for this registry and scope, if any and still fresh. */
  cached(registry: string, scope: string): Authorization | undefined;
  /** Answers a 401's WWW-Authenticate for `scope` (`repository:NAME:pull[,push]`, or '' for /v2/). */
  authorize(registry: string, wwwAuthenticate: string | string[] | undefined, scope: string): Promise<Authorization>;
  /** Drops the cached header (the registry refused it). */
  forget(registry: string, scope: string): void;
}

/** How a registry is reached: which transport, and whether it is plain HTTP (then an http realm is fine). */
export interface AuthContext {
  transport(registry: string): OciTransport;
  plainHttp: boolean;
  now?: () => number;
}

/** Tokens are kept at most an hour, and for at most 100 registry+scope pairs. */
const MAX_TOKEN_SECONDS = 3600;
const MAX_CACHED = 100;
/** A token is not reused in its last 10 s (the request might arrive after it expired). */
const MARGIN_SECONDS = 10;
/** The spec's default lifetime when the token server gives none. */
const DEFAULT_EXPIRES_IN = 60;
const MAX_TOKEN_RESPONSE = 1024 * 1024;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** An authenticator over a credential store. */
export function authenticator(context: AuthContext, credentials: CredentialStore): Authenticator {
  const now = context.now ?? Date.now;
  const cache = new Map<string, { auth: Authorization; until: number }>();
  const key = (registry: string, scope: string) => `${registry} ${scope}`;

  function remember(registry: string, scope: string, auth: Authorization, seconds: number): void {
    const lifetime = Math.min(seconds, MAX_TOKEN_SECONDS) - MARGIN_SECONDS;
    if (lifetime <= 0) return;
    const k = key(registry, scope);
    cache.delete(k);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(k, { auth, until: now() + lifetime * 1000 });
  }

  return {
    cached(registry, scope) {
      const hit = cache.get(key(registry, scope));
      if (hit && hit.until > now()) return hit.auth;
      if (hit) cache.delete(key(registry, scope));
      return undefined;
    },
    forget(registry, scope) {
      cache.delete(key(registry, scope));
    },
    async authorize(registry, header, scope) {
      const creds = await credentials.get(registry);
      const challenges = parseChallenges(header);
      const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      const hadCredentials = creds !== undefined;
      if (bearer) {
        const auth = await bearerFor(context, registry, bearer, scope, creds);
        remember(registry, scope, auth.auth, auth.expiresIn);
        return auth.auth;
      }
      if (creds?.kind === 'basic') {
        const auth = { header: basic(creds.username, creds.password), hadCredentials };
        remember(registry, scope, auth, MAX_TOKEN_SECONDS);
        return auth;
      }
      if (creds?.kind === 'registry-token') return { header: `Bearer ${creds.token}`, hadCredentials };
      throw authFailed(registry, hadCredentials, scopeText(scope));
    },
  };
}

/** What a scope is about, for messages. */
export function scopeText(scope: string): string {
  const m = /^repository:(.+):([a-z,*]+)$/.exec(scope);
  if (!m) return 'its API';
  return `${m[2].includes('push') ? 'pushing to' : 'pulling from'} ${m[1]}`;
}

async function bearerFor(
  context: AuthContext,
  registry: string,
  challenge: Challenge,
  scope: string,
  creds: RegistryCredentials | undefined,
): Promise<{ auth: Authorization; expiresIn: number }> {
  const hadCredentials = creds !== undefined;
  // A registry token is sent as is: there is no exchange to make.
  if (creds?.kind === 'registry-token') {
    return { auth: { header: `Bearer ${creds.token}`, hadCredentials }, expiresIn: MAX_TOKEN_SECONDS };
  }
  const realm = realmUrl(registry, challenge.params.realm, context.plainHttp, hadCredentials);
  const service = challenge.params.service;
  // Our own scope first: the challenge's may be narrower (pull only) than what the request needs.
  const wanted = scope || challenge.params.scope || '';
  const transport = context.transport(registry);
  const what = `the token server of ${registry} (${realm.host})`;
  let res;
  if (creds?.kind === 'identity-token') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, client_id: 'kc' });
    if (service) form.set('service', service);
    if (wanted) form.set('scope', wanted);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const body = Buffer.from(form.toString());
    res = await transport.send({ method: 'POST', url: realm, headers, body, maxBytes: MAX_TOKEN_RESPONSE, what });
  } else {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    if (wanted) url.searchParams.set('scope', wanted);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (creds?.kind === 'basic') headers.authorization = basic(creds.username, creds.password);
    const request = { method: 'GET', url, headers, maxBytes: MAX_TOKEN_RESPONSE, what, followRedirects: true } as const;
    res = await transport.send(request);
  }
  if (res.status === 401 || res.status === 403) throw authFailed(registry, hadCredentials, scopeText(wanted));
  if (res.status !== 200) throw unexpectedStatus(`a token from ${what}`, res.status, '');
  const token = parseTokenResponse(res.body, what);
  return { auth: { header: `Bearer ${token.token}`, hadCredentials }, expiresIn: token.expiresIn };
}

function realmUrl(registry: string, realm: string, plainHttp: boolean, hadCredentials: boolean): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw invalidResponse(`${registry}'s WWW-Authenticate challenge`, 'its realm is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidResponse(`${registry}'s WWW-Authenticate challenge`, `its realm is a ${url.protocol} URL`);
  }
  // Credentials go in clear text over http only to a registry the user reaches over plain HTTP anyway.
  if (url.protocol === 'http:' && !plainHttp && hadCredentials) {
    throw invalidResponse(
      `${registry}'s WWW-Authenticate challenge`,
      `its token realm ${url.host} is plain http, ` + 'where kc will not send credentials of an https registry',
    );
  }
  return url;
}

/** `{token|access_token, expires_in}` from a token server. */
export function parseTokenResponse(body: Buffer, what: string): { token: string; expiresIn: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidResponse(what, 'the token response is not JSON');
  }
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const token = [obj.token, obj.access_token].find((t): t is string => typeof t === 'string' && t.length > 0);
  if (!token) throw invalidResponse(what, 'the token response has no token');
  // A token with characters that cannot go in a header would fail later, less clearly.
  if (!/^[\x21-\x7e]+$/.test(token)) throw invalidResponse(what, 'the token has characters a header cannot carry');
  const expires = obj.expires_in;
  const expiresIn =
    typeof expires === 'number' && Number.isFinite(expires) && expires > 0 ? expires : DEFAULT_EXPIRES_IN;
  return { token, expiresIn };
}
