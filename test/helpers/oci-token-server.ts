// A registry token server (the Docker/distribution token flow) for tests, on 127.0.0.1: it checks Basic credentials,
// grants scopes and answers a JWT signed with a throwaway ES256 key whose self-signed certificate the registry trusts
// (`auth.token.rootcertbundle`); the JWT header carries it as `x5c`. It records each request so tests can assert
// the flow. Claims follow distribution v3's registry/auth/token/token.go: iss, sub, aud, exp, nbf, iat, jti, access.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** One resource and the actions a token grants on it (the JWT's `access` entries). */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/** One request the token server answered (never the password). */
export interface TokenRequest {
  method: string;
  /** `service` as the client sent it. */
  service: string | undefined;
  /** Scopes asked for, e.g. `repository:charts/mysql:pull,push`. */
  scopes: string[];
  /** The Basic (or OAuth2 form) user name sent, right or wrong; undefined when the client sent none. */
  account: string | undefined;
  /** Whether the credentials sent were the right ones. */
  authenticated: boolean;
  status: number;
  /** What the token it answered grants (empty on a refusal). */
  granted: TokenAccess[];
}

/** How the token server decides; `grant` overrides the default policy. */
export interface TokenServerOptions {
  username: string;
  password: string;
  /** Anonymous clients get `pull` (default: nothing, so the registry answers 401 insufficient_scope). */
  anonymousPull?: boolean;
  /** Actions granted to `account` (undefined = anonymous) on one requested scope. */
  grant?: (account: string | undefined, scope: TokenAccess) => string[];
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: Buffer; cert: Buffer };
}

/** A running token server. */
export interface TokenServer {
  /** The realm URL to put in the registry config (`auth.token.realm`). */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the certificate of the key that signs tokens (the registry's `rootcertbundle`). */
  signingCertPem: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

const SERVICE = 'kc-test-registry';
const ISSUER = 'kc-test-token-server';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A throwaway EC P-256 key and a self-signed certificate for it, made with openssl (valid one day). */
function makeSigningKey(): { key: crypto.KeyObject; certPem: string; certDer: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-token-key-'));
  try {
    const keyPath = path.join(dir, 'key.pem');
    const certPath = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=kc test token signer'],
    { stdio: 'ignore', timeout: 20_000 });
    const certPem = fs.readFileSync(certPath, 'utf8');
    return {
      key: crypto.createPrivateKey(fs.readFileSync(keyPath)),
      certPem,
      certDer: Buffer.from(new crypto.X509Certificate(certPem).raw),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses `type:name:action,action` (a name may hold no colon in practice, but the type and actions never do). */
function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const actions = scope.slice(last + 1).split(',').filter(Boolean);
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

const defaultGrant = (anonymousPull: boolean) => (account: string | undefined, scope: TokenAccess) => {
  if (account !== undefined) return scope.actions;
  return anonymousPull && scope.type === 'repository' ? scope.actions.filter((a) => a === 'pull') : [];
};

/** Starts a token server on 127.0.0.1 (a free port); close() ends it and its connections. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const signing = makeSigningKey();
  const grant = options.grant ?? defaultGrant(options.anonymousPull ?? false);
  const expiresIn = options.expiresIn ?? 300;
  const requests: TokenRequest[] = [];

  const sign = (account: string | undefined, access: TokenAccess[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'ES256', typ: 'JWT', x5c: [signing.certDer.toString('base64')] };
    const claims = {
      iss: ISSUER,
      sub: account ?? '',
      aud: SERVICE,
      exp: now + expiresIn,
      nbf: now - 1,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    // JWS ES256 signatures are r||s (IEEE P1363), not DER.
    const sig = crypto.sign('sha256', Buffer.from(input), { key: signing.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  };

  const handle = (method: string, params: URLSearchParams, basic: [string, string] | undefined) => {
    const account = basic?.[0] ?? params.get('username') ?? undefined;
    const password = basic?.[1] ?? params.get('password') ?? undefined;
    const authenticated = account !== undefined && account === options.username && password === options.password;
    const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const record: TokenRequest = { method, service: params.get('service') ?? undefined, scopes, account,
      authenticated, status: 200, granted: [] };
    requests.push(record);
    if (account !== undefined && !authenticated) {
      record.status = 401;
      return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED', message: 'wrong user name or password' }] } };
    }
    if (record.service !== SERVICE) {
      record.status = 400;
      return { status: 400, body: { errors: [{ code: 'DENIED', message: `unknown service ${record.service}` }] } };
    }
    for (const scope of scopes) {
      const asked = parseScope(scope);
      if (!asked) continue;
      const actions = grant(authenticated ? account : undefined, asked).filter((a) => asked.actions.includes(a));
      if (actions.length) record.granted.push({ type: asked.type, name: asked.name, actions });
    }
    const token = sign(authenticated ? account : undefined, record.granted);
    const issued = new Date().toISOString();
    return { status: 200, body: { token, access_token: token, expires_in: expiresIn, issued_at: issued } };
  };

  const listener: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length < 64 * 1024) body += chunk; // a test server: bounded, never a big form
    });
    req.on('end', () => {
      let answer: { status: number; body: unknown };
      if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
        answer = { status: 404, body: { errors: [{ code: 'NOT_FOUND' }] } };
      } else {
        const auth = req.headers.authorization ?? '';
        let basic: [string, string] | undefined;
        if (/^basic /i.test(auth)) {
          const text = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
          const colon = text.indexOf(':');
          basic = colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
        }
        // GET: query parameters (the token flow); POST: an OAuth2 form (grant_type=password).
        const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
        if (req.method === 'POST' && params.get('grant_type') !== 'password') {
          answer = { status: 400, body: { error: 'unsupported_grant_type' } };
        } else {
          answer = handle(req.method, params, basic);
        }
      }
      const text = JSON.stringify(answer.body);
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', connection: 'close' };
      if (answer.status === 401) headers['www-authenticate'] = 'Basic realm="kc-test-token-server"';
      res.writeHead(answer.status, headers).end(text);
    });
  };

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    signingCertPem: signing.certPem,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
