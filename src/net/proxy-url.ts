// What kc knows of a proxy: its URL (credentials included: they go only into Proxy-Authorization) and the name kc
// prints for it, which never holds a user name or password.
import { KcError, type ErrorCode } from '../errors/index.js';

/** A proxy to connect through: http:// or https:// (CONNECT), and how messages name it. */
export interface HttpProxy {
  url: URL;
  /** scheme://host:port, without credentials. */
  display: string;
}

/**
 * A proxy from a URL as written (`where` names its source in errors, never with the URL's credentials): http:// and
 * https:// proxies are supported, socks5 not yet, anything else is refused with `code`.
 */
export function parseProxy(value: string, where: string, code: ErrorCode): HttpProxy {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // Go (kubectl, helm) reads a value without a scheme, such as proxy.corp:3128, as an http:// proxy.
  if (!url || (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && url.protocol !== 'socks5:')) {
    try {
      url = new URL(`http://${value}`);
    } catch {
      throw new KcError(code, `${where} is not a proxy URL`, { hint: 'use http://[user:password@]host:port' });
    }
  }
  const display = `${url.protocol}//${url.host}`;
  if (url.protocol === 'socks5:' || url.protocol === 'socks5h:') {
    throw new KcError(code, `${where}: socks5 proxies are not supported yet (${display})`, {
      hint: 'use an http:// or https:// proxy that accepts CONNECT',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KcError(code, `${where}: ${url.protocol.slice(0, -1)} proxies are not supported (${display})`, {
      hint: 'use an http:// or https:// proxy that accepts CONNECT',
    });
  }
  return { url, display };
}
