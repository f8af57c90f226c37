// The KcErrors of downloads: every URL in them is printed without its user name and password.
import { KcError } from '../errors/index.js';
import { displayUrl } from './redirect-policy.js';

/** A download that failed: the URL (credentials stripped) and why. */
export function fetchFailed(url: string | URL, reason: string): KcError {
  return new KcError('FETCH_FAILED', `cannot download ${displayUrl(url)}: ${reason}`, {
    hint: 'check the URL and that the server is reachable (`kc repo update` refreshes repository indexes)',
  });
}

/** A redirect kc refused to follow, naming both ends. */
export function redirectRefused(url: string | URL, from: URL, to: string | URL, reason: string): KcError {
  const hop = `the redirect from ${displayUrl(from)} to ${displayUrl(to)} is refused: ${reason}`;
  return new KcError('FETCH_FAILED', `cannot download ${displayUrl(url)}: ${hop}`, {
    hint: 'kc follows redirects only to http(s), never from https to http, and never from another host into this '
      + 'machine, its link or a private network; if you trust the target, use its URL directly',
  });
}

/** A TLS handshake or certificate check that failed, naming the server and OpenSSL's reason. */
export function tlsFailed(url: string | URL, cause: Error): KcError {
  const server = new URL(displayUrl(url)).host;
  return new KcError('TLS_FAILED', `cannot download ${displayUrl(url)}: TLS with ${server} failed: ${cause.message}`, {
    hint: "the server's certificate must be signed by a CA this machine trusts and name the host; for a private CA, "
      + 'run kc with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
    cause,
  });
}
