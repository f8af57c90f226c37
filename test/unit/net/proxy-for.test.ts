// Which proxy a request uses: proxy-url always; else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY or loopback (Go's rules).
import { describe, expect, test } from '@jest/globals';
import { envProxy, proxyFor } from '../../../src/net/proxy-for.js';
import { parseProxy } from '../../../src/net/proxy-url.js';

const u = (s: string) => new URL(s);

describe('the environment proxy', () => {
  test('HTTPS_PROXY for https, HTTP_PROXY for http, upper case first, lower case honoured', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:8080' };
    expect(envProxy(u('https://api.example.com'), env)?.display).toBe('http://secure:3128');
    expect(envProxy(u('http://charts.example.com'), env)?.display).toBe('http://plain:8080');
    expect(envProxy(u('https://api.example.com'), { https_proxy: 'http://lower:1' })?.display).toBe('http://lower:1');
    expect(envProxy(u('http://charts.example.com'), { http_proxy: 'http://lower:2' })?.display).toBe('http://lower:2');
    // No fallback from https to HTTP_PROXY, as in Go and curl.
    expect(envProxy(u('https://api.example.com'), { HTTP_PROXY: 'http://plain:8080' })).toBeUndefined();
    expect(envProxy(u('https://api.example.com'), { HTTPS_PROXY: '' })).toBeUndefined();
  });

  test('a value without a scheme is an http:// proxy, as in Go', () => {
    const schemeless = envProxy(u('https://a.example'), { HTTPS_PROXY: 'proxy.corp:3128' });
    expect(schemeless?.url.href).toBe('http://proxy.corp:3128/');
    expect(envProxy(u('https://a.example'), { HTTPS_PROXY: '10.0.0.1:3128' })?.display).toBe('http://10.0.0.1:3128');
  });

  test('localhost and loopback IPs never use the environment proxy (Go: httpproxy useProxy)', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' };
    for (const target of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.9.9.9', 'https://[::1]:6443',
      'http://localhost/charts', 'https://[::ffff:127.0.0.1]']) {
      expect(envProxy(u(target), env)).toBeUndefined();
    }
    // Only the name localhost itself: Go proxies its subdomains and other names that resolve to loopback.
    expect(envProxy(u('https://api.localhost'), env)?.display).toBe('http://proxy:3128');
  });

  test('NO_PROXY (either case) turns it off per host, with default ports by scheme', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', no_proxy: '.internal,example.com:443' };
    expect(envProxy(u('https://k8s.internal:6443'), env)).toBeUndefined();
    expect(envProxy(u('https://example.com'), env)).toBeUndefined();
    expect(envProxy(u('https://example.com:8443'), env)?.display).toBe('http://proxy:3128');
    expect(envProxy(u('https://internal'), env)?.display).toBe('http://proxy:3128');
    expect(envProxy(u('https://x.internal'), { ...env, NO_PROXY: 'other.test' })?.display).toBe('http://proxy:3128');
  });

  test('HTTP_PROXY is ignored in a CGI process, as Go does', () => {
    expect(envProxy(u('http://a.example'), { HTTP_PROXY: 'http://p:1', REQUEST_METHOD: 'GET' })).toBeUndefined();
  });

  test('socks5 is USAGE "not supported yet"; no message shows the credentials', () => {
    const env = { HTTPS_PROXY: 'socks5://user:s3cret@proxy:1080' };
    expect(() => envProxy(u('https://a.example'), env)).toThrow(expect.objectContaining({
      code: 'USAGE', message: 'HTTPS_PROXY: socks5 proxies are not supported yet (socks5://proxy:1080)',
    }));
    expect(() => envProxy(u('https://a.example'), { HTTPS_PROXY: 'ftp://u:s3cret@p' })).toThrow(/ftp proxies/);
  });
});

describe('proxyFor', () => {
  test('a configured proxy-url applies to every host, loopback and NO_PROXY ones included', () => {
    const url = 'http://u:p%40ss@127.0.0.1:3128';
    const configured = { url, where: 'proxy-url', code: 'KUBECONFIG_INVALID' as const };
    const p = proxyFor(u('https://127.0.0.1:6443'), configured, { NO_PROXY: '*' });
    expect(p?.display).toBe('http://127.0.0.1:3128');
    expect(p?.url.password).toBe('p%40ss');
    expect(proxyFor(u('https://127.0.0.1:6443'), undefined, { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });

  test('a socks5 proxy-url is KUBECONFIG_INVALID with a hint', () => {
    expect(() => parseProxy('socks5://127.0.0.1:1080', 'cluster "c": proxy-url', 'KUBECONFIG_INVALID')).toThrow(
      expect.objectContaining({
        code: 'KUBECONFIG_INVALID', hint: 'use an http:// or https:// proxy that accepts CONNECT',
      }),
    );
  });
});
