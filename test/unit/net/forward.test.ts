import { describe, expect, test } from '@jest/globals';
import { forwardedRequest } from '../../../src/net/forward.js';
import { parseProxy } from '../../../src/net/proxy-url.js';

describe('forwardedRequest (plain http through a proxy, absolute form)', () => {
  test('to the proxy, the absolute URL without user info as path, Proxy-Authorization from the proxy URL', () => {
    const proxy = parseProxy('http://u%40corp:p%3Ass@proxy.corp:3128', 'HTTP_PROXY', 'USAGE');
    const target = new URL('http://user:pw@charts.example.com:8080/a/index.yaml?x=1');
    const options = forwardedRequest(proxy, target, { 'user-agent': 'kc' });
    expect(options).toEqual({
      secure: false, hostname: 'proxy.corp', port: '3128', path: 'http://charts.example.com:8080/a/index.yaml?x=1',
      headers: {
        host: 'charts.example.com:8080', 'user-agent': 'kc',
        'proxy-authorization': `Basic ${Buffer.from('u@corp:p:ss').toString('base64')}`,
      },
    });
  });

  test('an https:// proxy: TLS to the proxy, named for SNI unless an IP; default ports', () => {
    const target = new URL('http://charts.example.com/index.yaml');
    const named = forwardedRequest(parseProxy('https://proxy.corp', 'HTTP_PROXY', 'USAGE'), target, {});
    expect(named).toMatchObject({ secure: true, hostname: 'proxy.corp', port: 443, servername: 'proxy.corp' });
    expect(named.headers).toEqual({ host: 'charts.example.com' });
    const ip = forwardedRequest(parseProxy('https://[::1]', 'HTTP_PROXY', 'USAGE'), target, {});
    expect(ip).toMatchObject({ secure: true, hostname: '::1', port: 443 });
    expect(ip).not.toHaveProperty('servername');
    expect(forwardedRequest(parseProxy('proxy:8080', 'HTTP_PROXY', 'USAGE'), target, {}).port).toBe('8080');
  });
});
