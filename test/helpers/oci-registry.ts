// Real OCI registries for tests: a fresh CNCF distribution registry process (built by test/registry/registry.sh)
// on 127.0.0.1, with in-memory or temp-dir storage, no auth, htpasswd auth or token auth (a token server in this
// process), over plain HTTP or TLS from a throwaway CA. Also the path of the real oras and cosign binaries.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { hashSync } from 'bcryptjs';
import { startTokenServer, type TokenRequest, type TokenServer, type TokenServerOptions } from './oci-token-server.js';
import { repoRoot } from './run-cli.js';
import { makeTestCerts } from './test-certs.js';

/** A real tool built from its Go module into ~/.cache/kc/tools. */
export type OciTool = 'registry' | 'oras' | 'cosign';

/** How to start a registry. */
export interface RegistryOptions {
  /** 'none' (default), 'htpasswd' (Basic, bcrypt) or 'token' (Bearer, with a token server in this process). */
  auth?: 'none' | 'htpasswd' | 'token';
  /** Credentials for htpasswd/token auth (default: `kc-user` and a random password). */
  username?: string;
  password?: string;
  /** TLS with a server certificate for 127.0.0.1 from a throwaway CA (the token server too). */
  tls?: boolean;
  /** 'memory' (default) or 'filesystem' (a temp dir, see `storageDir`). */
  storage?: 'memory' | 'filesystem';
  /** Token auth only: anonymous clients get pull, and/or a custom grant policy, token lifetime. */
  token?: Pick<TokenServerOptions, 'anonymousPull' | 'grant' | 'expiresIn'>;
  /** Milliseconds to wait for the registry to answer (default 20 s). */
  startTimeoutMs?: number;
}

/** A running registry. */
export interface TestRegistry {
  /** The registry process's id (gone after stop()). */
  pid: number;
  /** `127.0.0.1:PORT`, as it goes into an `oci://` reference. */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://…`. */
  url: string;
  /** PEM of the CA that signed the registry's certificate (TLS only). */
  caPem?: string;
  /** PEM of a CA that signed nothing here, for "wrong CA" tests (TLS only). */
  otherCaPem?: string;
  username?: string;
  password?: string;
  /** Token auth only: the token server's realm URL and every request it answered. */
  realm?: string;
  tokenRequests?: TokenRequest[];
  /** The filesystem storage's root (storage 'filesystem' only). */
  storageDir?: string;
  /** The registry's log so far (for failure messages). */
  logs(): string;
  /** Kills the registry (SIGTERM, then SIGKILL after 5 s), closes the token server, removes the temp dir. */
  stop(): Promise<void>;
}

const SCRIPT = path.join(repoRoot, 'test/registry/registry.sh');
const BUILD_TIMEOUT_MS = 60 * 60 * 1000;
const toolPaths = new Map<OciTool, string>();

/** The absolute path of a tool's binary; builds it (registry.sh path TOOL) when the cache does not have it. */
export function toolPath(tool: OciTool): string {
  const known = toolPaths.get(tool);
  if (known) return known;
  const res = spawnSync('bash', [SCRIPT, 'path', tool], {
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const found = res.stdout?.trim();
  if (res.status !== 0 || !found || !fs.existsSync(found)) {
    const why = res.error ? res.error.message : `exit ${res.status}`;
    throw new Error(`bash test/registry/registry.sh path ${tool} failed (${why}):\n${res.stderr ?? ''}`);
  }
  toolPaths.set(tool, found);
  return found;
}

/** One GET on the registry (no keep-alive, so no socket outlives it); resolves the status, or an error. */
function probe(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { agent: false, ca, timeout: 2000, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a registry on 127.0.0.1 (a port it picks itself, read from its log) and waits until GET /v2/ answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-registry-'));
  const file = (name: string) => path.join(dir, name);
  const logPath = file('registry.log');
  const logs = () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '');
  let tokenServer: TokenServer | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const proc = child;
      child.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await tokenServer?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const certs = options.tls ? makeTestCerts() : undefined;
    const username = auth === 'none' ? undefined : (options.username ?? 'kc-user');
    const password = auth === 'none' ? undefined : (options.password ?? crypto.randomBytes(12).toString('hex'));
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'info' },
      storage: {
        ...(options.storage === 'filesystem' ? { filesystem: { rootdirectory: file('data') } } : { inmemory: {} }),
        delete: { enabled: true },
      },
      http: { addr: '127.0.0.1:0', secret: crypto.randomBytes(16).toString('hex') },
    };
    if (certs) {
      fs.writeFileSync(file('server.crt'), certs.cert);
      fs.writeFileSync(file('server.key'), certs.key, { mode: 0o600 });
      (config.http as Record<string, unknown>).tls = { certificate: file('server.crt'), key: file('server.key') };
    }
    if (auth === 'htpasswd') {
      // Cost 4 (bcrypt's minimum): the registry checks the hash on every request.
      fs.writeFileSync(file('htpasswd'), `${username}:${hashSync(password!, 4)}\n`, { mode: 0o600 });
      config.auth = { htpasswd: { realm: 'kc-test', path: file('htpasswd') } };
    } else if (auth === 'token') {
      tokenServer = await startTokenServer({
        username: username!,
        password: password!,
        ...options.token,
        tls: certs ? { key: certs.key, cert: certs.cert } : undefined,
      });
      fs.writeFileSync(file('token-signer.crt'), tokenServer.signingCertPem);
      config.auth = {
        token: {
          realm: tokenServer.realm,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: file('token-signer.crt'),
        },
      };
    }
    // JSON is YAML: the registry reads it as its config file.
    fs.writeFileSync(file('config.yml'), JSON.stringify(config, null, 2));

    const out = fs.openSync(logPath, 'a');
    try {
      child = spawn(toolPath('registry'), ['serve', file('config.yml')], {
        stdio: ['ignore', out, out],
        // OTel would try to export traces to localhost:4318.
        env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
      });
    } finally {
      fs.closeSync(out);
    }
    const proc = child;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.once('error', () => undefined); // a spawn failure shows as the exit above and in the error below

    const scheme = certs ? 'https' : 'http';
    const caPem = certs?.ca.toString('utf8');
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    let port: string | undefined;
    let lastError = 'no "listening on" line in its log';
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`the registry exited (${proc.exitCode ?? proc.signalCode}):\n${logs()}`);
      }
      // The registry logs the address it listens on, the port it picked for 127.0.0.1:0 included.
      port ??= /listening on 127\.0\.0\.1:(\d+)/.exec(logs())?.[1];
      if (port) {
        try {
          const status = await probe(`${scheme}://127.0.0.1:${port}/v2/`, caPem);
          if (status === 200 || status === 401) break;
          lastError = `GET /v2/ answered ${status}`;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
      if (Date.now() > deadline) throw new Error(`the registry did not answer in time (${lastError}):\n${logs()}`);
      await sleep(50);
    }

    const host = `127.0.0.1:${port}`;
    return {
      pid: proc.pid!,
      host,
      url: `${scheme}://${host}`,
      caPem,
      otherCaPem: certs?.otherCa.toString('utf8'),
      username,
      password,
      realm: tokenServer?.realm,
      tokenRequests: tokenServer?.requests,
      storageDir: options.storage === 'filesystem' ? file('data') : undefined,
      logs,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
