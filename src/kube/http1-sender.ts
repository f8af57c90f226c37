// Sends one API request over HTTP/1.1 (plain http servers, and https servers that refuse HTTP/2).
import http from 'node:http';
import https from 'node:https';
import type { ClusterConnection } from './kubeconfig.js';
import { USER_AGENT } from '../net/user-agent.js';
import { viaClusterProxy } from './cluster-proxy.js';
import { SenderCodes, senderError } from './network-failure.js';
import { decodeBody, lengthMatches, requestPath, type ApiRequest, type ApiResponse, type Sender } from './sender.js';
import { http1Stream } from './http1-stream.js';

/** A sender over one keep-alive agent with at most `maxSockets` connections. */
export function http1Sender(conn: ClusterConnection, maxSockets: number, timeoutMs: number): Sender {
  const url = new URL(conn.server);
  const secure = url.protocol === 'https:';
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername, lookup } = conn.requestOptions as https.AgentOptions;
  const resolve = lookup ? { lookup } : {}; // the system resolver unless a test sets it
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets, ca, cert, key, pfx, passphrase, rejectUnauthorized, servername, ...resolve })
    : new http.Agent({ keepAlive: true, maxSockets, ...resolve });
  viaClusterProxy(conn, agent, secure, timeoutMs);
  const baseHeaders = (conn.requestOptions.headers ?? {}) as Record<string, string>;
  const auth = conn.requestOptions.auth;

  const send = (req: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...baseHeaders, Accept: req.accept ?? 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const lost = (why: string) => senderError(SenderCodes.incomplete, `the answer broke off: ${why}`);
      const r = (secure ? https : http).request(
        {
          protocol: url.protocol, hostname: url.hostname, port: url.port, path: requestPath(url, req),
          method: req.method, agent, headers, auth, timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            // `complete` is false when the connection closed before the announced length or the last chunk.
            if (!res.complete || !lengthMatches(bytes, res.headers['content-length'])) {
              return settle(() => reject(lost(`${bytes.length} bytes, then the connection closed`)));
            }
            const body = decodeBody(bytes, res.headers['content-type']);
            settle(() => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
          });
          res.on('aborted', () => settle(() => reject(lost('the connection closed mid-answer'))));
          res.on('error', (err) => settle(() => reject(err)));
          res.on('close', () => settle(() => reject(lost('the connection closed mid-answer'))));
        },
      );
      const onAbort = () => {
        settle(() => reject(signal!.reason));
        r.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      r.on('timeout', () => r.destroy(senderError(SenderCodes.timeout, `no answer within ${timeoutMs} ms`)));
      r.on('error', (err) => settle(() => reject(err)));
      r.end(payload);
    });
  const stream: Sender['stream'] = (req, onLine, signal) => {
    const headers = { 'User-Agent': USER_AGENT, ...baseHeaders, Accept: req.accept ?? 'application/json' };
    const path = requestPath(url, req);
    const { protocol, hostname, port } = url;
    const options = { protocol, hostname, port, path, method: req.method, agent, headers, auth };
    // A watch holds its connection for long: the agent gets one more for it, so requests keep all of theirs.
    agent.maxSockets += 1;
    return http1Stream(secure, options, onLine, signal).finally(() => (agent.maxSockets -= 1));
  };
  return { send, stream, close: () => agent.destroy() };
}
