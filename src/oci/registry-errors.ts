// The KcErrors of registry calls. Each names the registry (or the URL, without credentials) and says what to do; none
// ever holds a password or a token.
import { formatSize } from '../artifact/format.js';
import { KcError } from '../errors/index.js';
import { classifyFailure } from '../kube/network-failure.js';
import { displayUrl } from '../repo/redirect-policy.js';

/** A network failure (no connection, TLS, reset) of a request to `url`, classified by its error code. */
export function networkError(url: URL, err: NodeJS.ErrnoException, registryHost: string): KcError {
  const host = url.host;
  const isRegistry = host === registryHost;
  const where = isRegistry ? `the registry ${host}` : `${displayUrl(url)} (reached from the registry ${registryHost})`;
  const failure = classifyFailure(err);
  if (failure?.tls || err.code === 'EPROTO') {
    // EPROTO ("wrong version number") is what an https request to a plain-HTTP server ends with.
    const hint =
      err.code === 'EPROTO'
        ? `if ${host} serves plain HTTP (a local registry), use --plain-http; else check its TLS setup`
        : `trust its CA with --ca-file CA.pem, or (for a test registry only) --insecure-skip-tls-verify`;
    return new KcError('TLS_FAILED', `TLS with ${where} failed: ${err.code ?? err.message}`, { hint, cause: err });
  }
  if (failure?.kind === 'unreachable') {
    const hint = isRegistry
      ? `is a registry running at ${host}? (a registry that serves plain HTTP needs --plain-http)`
      : 'the registry sent kc to storage it cannot reach; check the network and proxy settings';
    return new KcError('FETCH_FAILED', `cannot reach ${where}: ${err.code ?? err.message}`, { hint, cause: err });
  }
  return new KcError('FETCH_FAILED', `the request to ${where} failed: ${err.code ?? err.message}`, {
    hint: 'the connection broke off; try again',
    cause: err,
  });
}

/** A request that did not complete in time. */
export function timedOut(url: URL, timeoutMs: number): KcError {
  return new KcError('FETCH_FAILED', `${displayUrl(url)}: no complete response within ${timeoutMs / 1000} s`, {
    hint: 'the registry or the network is slow or stalled; try again',
  });
}

/** A body that ended before its declared length (a truncated response is never taken as success). */
export function truncated(url: URL): KcError {
  return new KcError('FETCH_FAILED', `${displayUrl(url)}: the connection closed before the response was complete`, {
    hint: 'the download was cut off; try again',
  });
}

/** A body over the limit of its kind (a manifest, a blob). */
export function tooLarge(what: string, limit: number, size?: number): KcError {
  const sizes = size !== undefined ? `${formatSize(size)}, more than` : 'more than';
  return new KcError('ARCHIVE_UNSAFE', `${what} is ${sizes} the ${formatSize(limit)} kc accepts`, {
    hint: 'a kc chart is far smaller; check that the reference names a kc chart',
  });
}

/** A redirect kc refuses to follow or a chain of them that does not end. */
export function redirectError(url: URL, reason: string): KcError {
  return new KcError('FETCH_FAILED', `${displayUrl(url)}: ${reason}`, {
    hint:
      'kc follows at most 5 redirects, only to http(s), never from https to http, and never from a public host ' +
      'into this machine or a private network',
  });
}

/** The registry answered with something that is not what the API returns (HTML, garbage JSON, a wrong shape). */
export function invalidResponse(what: string, reason: string): KcError {
  return new KcError('RESPONSE_INVALID', `${what}: ${reason}`, {
    hint: 'is this an OCI registry? check the host and port (and --plain-http)',
  });
}

/** The registry failed (5xx) or answered an unexpected status. */
export function unexpectedStatus(what: string, status: number, detail: string): KcError {
  const server = status >= 500 ? 'the registry failed' : 'the registry refused it';
  return new KcError('FETCH_FAILED', `${what}: ${server} (HTTP ${status}${detail ? `: ${detail}` : ''})`, {
    hint: status >= 500 ? 'the registry has a problem; try again later' : 'check the reference and the registry',
  });
}

/** 401 even with credentials (or none to send). */
export function authFailed(registry: string, hadCredentials: boolean, what: string): KcError {
  const message = hadCredentials
    ? `${registry} refused the credentials for ${what} (HTTP 401)`
    : `${registry} needs credentials for ${what} (HTTP 401)`;
  return new KcError('REGISTRY_AUTH_FAILED', message, { hint: `log in with \`kc registry login ${registry}\`` });
}

/** 403: authenticated, but not allowed. */
export function accessDenied(registry: string, repository: string, push: boolean): KcError {
  return new KcError('REGISTRY_AUTH_FAILED', `${registry} denied access to the repository ${repository} (HTTP 403)`, {
    hint: push
      ? `pushing needs push rights on ${repository}; log in as a user who has them (\`kc registry login ${registry}\`)`
      : `log in as a user who may pull ${repository} (\`kc registry login ${registry}\`)`,
  });
}

/** A digest that does not match the bytes. */
export function digestMismatch(what: string, actual: string, expected: string, source: string): KcError {
  return new KcError('INTEGRITY_MISMATCH', `${what} has digest ${actual}, but ${source} says ${expected}`, {
    hint: 'the registry served other bytes than the ones referenced (tampered or damaged); refusing to use them',
  });
}
