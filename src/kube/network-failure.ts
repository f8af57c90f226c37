// What a failure below HTTP means for the request: whether the server may have seen it decides whether kc may send
// it again, and which error the user gets. Classified by error code, never by message text.

/**
 * `unreachable`: no connection (refused, DNS, TLS, connect timeout), so nothing was sent. `refused`: the server said it
 * did not process the request (REFUSED_STREAM, GOAWAY). `lost`: sent, and the answer broke off (reset, truncated,
 * stalled connection). `timeout`: sent, and no complete answer came in time.
 */
export type FailureKind = 'unreachable' | 'refused' | 'lost' | 'timeout';

/** A network failure of one request, with its kind and whether the cause is the TLS handshake. */
export interface NetworkFailure {
  kind: FailureKind;
  tls: boolean;
  cause: Error;
}

/** Error codes kc's senders give their own failures. */
export const SenderCodes = {
  /** TCP+TLS did not complete in time. */
  connectTimeout: 'KC_CONNECT_TIMEOUT',
  /** The connection stopped answering even pings; every request on it failed. */
  stalled: 'KC_CONNECTION_STALLED',
  /** The stream or response ended before a complete answer. */
  incomplete: 'KC_INCOMPLETE_ANSWER',
  /** The server refused the stream unprocessed (REFUSED_STREAM, or beyond a GOAWAY's last stream). */
  refused: 'KC_STREAM_REFUSED',
  /** No complete answer within the request timeout. */
  timeout: 'ETIMEDOUT',
  /** The proxy could not be reached or answered CONNECT with anything but 200: nothing reached the server. */
  proxyFailed: 'KC_PROXY_FAILED',
} as const;

/** An Error carrying one of the codes above. */
export function senderError(code: string, message: string, cause?: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

const UNREACHABLE = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL', SenderCodes.connectTimeout,
  SenderCodes.proxyFailed,
]);
// OpenSSL's certificate verification codes as Node names them, and Node's own TLS codes.
const TLS = new RegExp(
  '^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|CRL_|ERROR_IN_|DEPTH_ZERO_|SELF_SIGNED_|INVALID_CA|PATH_LENGTH|INVALID_PURPOSE'
    + '|HOSTNAME_MISMATCH|EPROTO$)',
);
// A session closing or gone before the stream was opened: the request never left.
const NOT_SENT = new Set(['ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_GOAWAY_SESSION', SenderCodes.refused]);

/** True for the code of a failed TLS handshake or certificate check (OpenSSL's verification codes, Node's TLS codes). */
export function isTlsErrorCode(code: unknown): boolean {
  return TLS.test(String(code ?? ''));
}

/** Classifies a sender's rejection; undefined for errors that are not network failures (bugs, aborts). */
export function classifyFailure(err: unknown): NetworkFailure | undefined {
  // Duck-typed: errors from Node's internals may come from another realm (test runners' VM contexts).
  if (typeof err !== 'object' || err === null || typeof (err as Error).message !== 'string') return undefined;
  const code = String((err as NodeJS.ErrnoException).code ?? '');
  const cause = err as Error;
  if (TLS.test(code)) return { kind: 'unreachable', tls: true, cause };
  if (UNREACHABLE.has(code)) return { kind: 'unreachable', tls: false, cause };
  if (NOT_SENT.has(code)) return { kind: 'refused', tls: false, cause };
  if (code === SenderCodes.timeout) return { kind: 'timeout', tls: false, cause };
  if (/^(ECONNRESET|EPIPE|ECONNABORTED|ERR_HTTP2_|ERR_STREAM_PREMATURE_CLOSE$|KC_)/.test(code)) {
    return { kind: 'lost', tls: false, cause };
  }
  return undefined;
}
