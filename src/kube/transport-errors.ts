// The KcErrors of requests that got no complete, usable answer: each says whether the server may have acted.
import { KcError } from '../errors/index.js';
import type { ClusterConnection } from './kubeconfig.js';
import type { NetworkFailure } from './network-failure.js';
import type { ApiRequest } from './sender.js';

const UP_HINT = 'check --kubeconfig/--context and that the cluster is running '
  + '(`npm run cluster:up` starts the local one)';
const PROXY_HINT = "check the proxy: the kubeconfig cluster's proxy-url, else HTTPS_PROXY and NO_PROXY (as kubectl "
  + 'reads them), and the user name and password in its URL';

/** The error for a request that failed below HTTP after `attempts` tries. */
export function networkError(f: NetworkFailure, conn: ClusterConnection, req: ApiRequest, attempts: number): KcError {
  const where = `${conn.server} (context ${conn.context})`;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (f.tls) {
    const message = `TLS with the Kubernetes API server at ${where} failed: ${f.cause.message}`;
    return new KcError('TLS_FAILED', message, {
      hint: "the server's certificate must be signed by the CA in the kubeconfig cluster's certificate-authority-data "
        + '(or certificate-authority file) and name its address; check the kubeconfig, or that the address is really '
        + 'your API server',
      cause: f.cause,
    });
  }
  if (f.kind === 'unreachable') {
    const message = `cannot reach the Kubernetes API server at ${where}: ${f.cause.message}`;
    return new KcError('CLUSTER_UNREACHABLE', message, {
      hint: (f.cause as { proxy?: string }).proxy ? PROXY_HINT : UP_HINT,
      cause: f.cause,
    });
  }
  const what = `${req.method} ${req.path}`;
  if (f.kind === 'refused') {
    return new KcError('CLUSTER_UNREACHABLE', `the API server at ${where} refused ${what} unprocessed${tries}`, {
      hint: 'the server is shutting down or overloaded; run the command again',
      cause: f.cause,
    });
  }
  return new KcError('CONNECTION_LOST', `${what} to ${where}: ${f.cause.message}${tries}`, {
    hint: 'the server may or may not have acted on it; check the network (proxies, load balancers) and run the '
      + 'command again (`kc status` shows what was recorded)',
    cause: f.cause,
  });
}

/** The error for a complete answer that is not the API's (HTML from a proxy, garbage, the wrong object). */
export function invalidResponse(what: string, problem: string): KcError {
  return new KcError('RESPONSE_INVALID', `${what}: the answer is not a Kubernetes API answer: ${problem}`, {
    hint: 'something between kc and the API server (a proxy, a load balancer) or the server itself answers wrongly; '
      + "check the kubeconfig cluster's server address",
  });
}

/** The error for queued requests never sent because the connection broke under earlier ones. */
export function notSent(conn: ClusterConnection, req: ApiRequest, earlier: KcError): KcError {
  // Queued behind a failed handshake, a request fails as the handshake did.
  const code = earlier.code === 'TLS_FAILED' ? 'TLS_FAILED' : 'CLUSTER_UNREACHABLE';
  return new KcError(code, `${req.method} ${req.path} was not sent: ${earlier.message}`, {
    hint: earlier.hint,
    cause: earlier,
  });
}

/** A short description of a body kc did not expect, for messages: its media type and first characters. */
export function describeBody(body: unknown, contentType: string | string[] | undefined): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  const start = text.replace(/\s+/g, ' ').slice(0, 40);
  return `${String(contentType ?? 'no content type')}, starting ${JSON.stringify(start)}`;
}
