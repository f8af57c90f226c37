// A kubeconfig cluster's proxy-url (kubectl's field): read and checked with the kubeconfig, so a proxy kc cannot use
// is KUBECONFIG_INVALID before anything is sent.
import { KcError } from '../errors/index.js';
import { parseProxy } from '../net/proxy-url.js';

/** The cluster body's proxy-url, checked (http:// or https://; socks5 is not supported yet), or undefined. */
export function kubeconfigProxyUrl(cluster: unknown, name: string): string | undefined {
  const body = typeof cluster === 'object' && cluster !== null ? (cluster as Record<string, unknown>) : {};
  const value = body['proxy-url'];
  if (value === undefined || value === null || value === '') return undefined;
  const where = `cluster "${name}": proxy-url`;
  if (typeof value !== 'string') {
    const hint = 'use http://[user:password@]host:port';
    throw new KcError('KUBECONFIG_INVALID', `${where} is not a string`, { hint });
  }
  parseProxy(value, where, 'KUBECONFIG_INVALID');
  return value;
}
