// Sends one API request over HTTP/1.1 (plain http servers, and https servers that refuse HTTP/2).
import http from 'node:http';
import https from 'node:https';
import type { ClusterConnection } from './kubeconfig.js';
import { decodeBody, requestPath, type ApiRequest, type ApiResponse, type Sender } from './sender.js';

/** A sender over one keep-alive agent with at most `maxSockets` connections. */
export function http1Sender(conn: ClusterConnection, maxSockets: number, timeoutMs: number): Sender {
  const url = new URL(conn.server);
  const secure = url.protocol === 'https:';
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = conn.requestOptions as https.AgentOptions;
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets, ca, cert, key, pfx, passphrase, rejectUnauthorized, servername })
    : new http.Agent({ keepAlive: true, maxSockets });
  const baseHeaders = (conn.requestOptions.headers ?? {}) as Record<string, string>;
  const auth = conn.requestOptions.auth;

  const send = (req: ApiRequest): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers: Record<string, string> = { ...baseHeaders, Accept: req.accept ?? 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const r = (secure ? https : http).request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, path: requestPath(url, req), method: req.method, agent, headers, auth, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: decodeBody(Buffer.concat(chunks), res.headers['content-type']), headers: res.headers }));
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      r.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
