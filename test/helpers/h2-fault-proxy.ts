// A TLS-terminating HTTP/2 proxy on 127.0.0.1 between kc and a real API server, which breaks chosen answers: it
// forwards the request (so the server acts on it), then resets the stream or truncates the body instead of relaying
// the answer. Authenticates upstream with the kubeconfig's own credentials; kc trusts the proxy's test CA.
import fs from 'node:fs';
import http2 from 'node:http2';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { TestCerts } from './test-certs.js';

/**
 * What the proxy does with one request: relay it; forward it, then reset or truncate the answer (the server acted);
 * or, without forwarding it, stall (never answer), answer an HTML or garbage 200, a 500, or a 429 (throttled).
 */
export type ProxyFault = 'relay' | 'reset' | 'truncate' | 'stall' | 'html' | 'garbage' | '500' | '429';

/** The proxy's own answers, for the faults that never reach the server. */
const OWN_ANSWERS: Partial<Record<ProxyFault, { status: number; type: string; body: string }>> = {
  html: { status: 200, type: 'text/html', body: '<html><body>Sign in to continue</body></html>' },
  garbage: { status: 200, type: 'application/json', body: '{"kind":"Status","apiVers\u0000\u0001' },
  '500': { status: 500, type: 'application/json', body: '{"kind":"Status","status":"Failure","message":"etcd unavailable","code":500}' },
  '429': { status: 429, type: 'application/json', body: '{"kind":"Status","status":"Failure","message":"slow down","code":429}' },
};

/** A running proxy. */
export interface H2FaultProxy {
  /** A kubeconfig file pointing kc at the proxy. */
  kubeconfig: string;
  /** Faults applied so far, as "METHOD path fault". */
  log: string[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([':status', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/** Starts the proxy in front of the current cluster of `upstream`; `decide` picks each answer's fate. */
export async function startH2FaultProxy(
  upstream: k8s.KubeConfig,
  certs: TestCerts,
  decide: (method: string, path: string) => ProxyFault,
): Promise<H2FaultProxy> {
  const tls: https.RequestOptions = {};
  await upstream.applyToHTTPSOptions(tls);
  const origin = new URL(upstream.getCurrentCluster()!.server).origin;
  if (new URL(origin).hostname !== '127.0.0.1') throw new Error(`the fault proxy only fronts loopback servers, not ${origin}`);
  const client = http2.connect(origin, { ca: tls.ca, cert: tls.cert, key: tls.key });
  client.on('error', () => undefined);
  const log: string[] = [];
  const server = http2.createSecureServer({ key: certs.key, cert: certs.cert });
  const stalled = new Set<http2.ServerHttp2Stream>();
  server.on('stream', (down, headers) => {
    down.on('error', () => undefined);
    const method = String(headers[':method']);
    const reqPath = String(headers[':path']);
    const fault = decide(method, reqPath);
    if (fault !== 'relay') log.push(`${method} ${reqPath.split('?')[0]} ${fault}`);
    if (fault === 'stall') {
      stalled.add(down);
      down.on('close', () => stalled.delete(down));
      return void down.resume(); // read the request, never answer
    }
    const own = OWN_ANSWERS[fault];
    if (own) {
      down.resume();
      down.respond({ ':status': own.status, 'content-type': own.type });
      return void down.end(own.body);
    }
    const fwd: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (k !== 'authorization' && !k.startsWith(':')) fwd[k] = v;
    const up = client.request({ ...fwd, ':method': method, ':path': reqPath });
    up.on('error', () => down.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    down.pipe(up);
    up.on('response', (h) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        // The server has acted on the request by now; only its answer is lost on the way back.
        if (down.destroyed || down.closed) return;
        if (fault === 'reset') return void down.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        const out: http2.OutgoingHttpHeaders = { ':status': h[':status'] };
        for (const [k, v] of Object.entries(h)) if (!HOP_BY_HOP.has(k) && k !== 'content-length') out[k] = v;
        down.respond(out);
        const body = Buffer.concat(chunks);
        if (fault === 'truncate') {
          down.write(body.subarray(0, Math.floor(body.length / 2)));
          return void setTimeout(() => down.close(http2.constants.NGHTTP2_NO_ERROR), 10);
        }
        down.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-proxy-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const port = (server.address() as AddressInfo).port;
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: proxy',
    `clusters: [{ name: proxy, cluster: { server: "https://127.0.0.1:${port}",`
      + ` certificate-authority-data: ${certs.ca.toString('base64')} } }]`,
    'contexts: [{ name: proxy, context: { cluster: proxy, user: proxy } }]',
    'users: [{ name: proxy, user: { token: via-proxy } }]',
  ].join('\n'));
  return {
    kubeconfig,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of stalled) s.close(http2.constants.NGHTTP2_CANCEL);
        client.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
        server.close(() => resolve());
        // Sessions kc left open would keep close() waiting.
        setTimeout(resolve, 1000).unref();
      }),
  };
}
