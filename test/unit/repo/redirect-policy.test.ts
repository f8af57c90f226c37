// The redirect decision as a pure function of URLs and addresses: no name is resolved, nothing is connected to.
import { describe, expect, test } from '@jest/globals';
import { addressClass, displayUrl, hostClass, judgeRedirect, ssrfRefusal } from '../../../src/repo/redirect-policy.js';

const u = (text: string) => new URL(text);

describe('address classes', () => {
  test.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['0.0.0.0', 'loopback'], ['::1', 'loopback'],
    ['::', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'], ['[::1]', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['fc00::1', 'private'], ['fd12:3456::1', 'private'], ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['8.8.8.8', 'public'], ['172.15.0.1', 'public'], ['172.32.0.1', 'public'], ['192.169.0.1', 'public'],
    ['2001:db8::1', 'public'], ['fec0::1', 'public'], ['::2', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(addressClass(address)).toBe(cls);
  });

  test('names are not addresses, except localhost', () => {
    expect(addressClass('example.com')).toBeUndefined();
    expect(hostClass('charts.example.com')).toBeUndefined();
    expect(hostClass('localhost')).toBe('loopback');
    expect(hostClass('api.localhost.')).toBe('loopback');
    expect(hostClass('[fe80::1]')).toBe('link-local');
  });
});

describe('server-side request forgery', () => {
  test.each([
    ['public', 'public', true], ['public', 'loopback', false], ['public', 'link-local', false],
    ['public', 'private', false], ['private', 'private', true], ['private', 'loopback', false],
    ['private', 'link-local', false], ['private', 'public', true],
    ['loopback', 'loopback', true], ['loopback', 'private', true], ['link-local', 'link-local', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(ssrfRefusal(from, to) === undefined).toBe(allowed);
  });

  test('a public host may not redirect to a literal loopback, link-local or private address', () => {
    for (const to of ['http://127.0.0.1/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/', 'http://192.168.0.1/', 'http://[fd00::1]/', 'http://localhost:8080/',
      'http://[::ffff:127.0.0.1]/']) {
      const from = { url: u('http://charts.example.com/index.yaml'), address: '93.184.216.34' };
      const reason = expect.stringMatching(/^a public host may not send kc to a /);
      expect(judgeRedirect(from, { url: u(to) })).toMatchObject({ follow: false, reason });
    }
  });

  test('other spellings of an address are normalised by the URL parser first', () => {
    const from = { url: u('http://charts.example.com/a'), address: '93.184.216.34' };
    const spellings = ['http://2130706433/', 'http://0x7f.1/', 'http://017700000001/',
      'http://[0:0:0:0:0:ffff:a9fe:a9fe]/'];
    for (const to of spellings) {
      expect(judgeRedirect(from, { url: u(to) })).toMatchObject({ follow: false });
    }
  });

  test('judged by the resolved address when the target is a name', () => {
    const from = { url: u('https://charts.example.com/a'), address: '93.184.216.34' };
    expect(judgeRedirect(from, { url: u('https://evil.example.net/x'), address: '169.254.169.254' }))
      .toEqual({ follow: false, reason: 'a public host may not send kc to a link-local address' });
    expect(judgeRedirect(from, { url: u('https://cdn.example.net/x'), address: '151.101.1.1' }))
      .toEqual({ follow: true, sameOrigin: false });
    // The address of the name is not known yet: followed, and checked again when the connection resolves it.
    expect(judgeRedirect(from, { url: u('https://cdn.example.net/x') })).toEqual({ follow: true, sameOrigin: false });
  });

  test('a name that resolved to a private address counts as private, whatever it is called', () => {
    const from = { url: u('http://charts.corp.example/a'), address: '10.1.2.3' };
    expect(judgeRedirect(from, { url: u('http://10.9.9.9/b') })).toEqual({ follow: true, sameOrigin: false });
    expect(judgeRedirect(from, { url: u('http://127.0.0.1/b') })).toMatchObject({ follow: false });
    // Without its address, a named source is judged as public.
    const named = { url: u('http://charts.corp.example/a') };
    expect(judgeRedirect(named, { url: u('http://10.9.9.9/b') })).toMatchObject({ follow: false });
  });

  test('loopback may redirect anywhere, including loopback', () => {
    const from = { url: u('http://127.0.0.1:8080/a'), address: '127.0.0.1' };
    expect(judgeRedirect(from, { url: u('http://127.0.0.1:9090/b') })).toEqual({ follow: true, sameOrigin: false });
    expect(judgeRedirect(from, { url: u('http://10.0.0.1/b') })).toEqual({ follow: true, sameOrigin: false });
  });
});

describe('schemes and origins', () => {
  test('https never goes down to http, even on the same host', () => {
    expect(judgeRedirect({ url: u('https://127.0.0.1/a') }, { url: u('http://127.0.0.1/a') }))
      .toEqual({ follow: false, reason: 'it would downgrade https to http' });
    expect(judgeRedirect({ url: u('http://127.0.0.1/a') }, { url: u('https://127.0.0.1/a') }))
      .toEqual({ follow: true, sameOrigin: false });
  });

  test('only http and https are followed', () => {
    for (const to of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'gopher://127.0.0.1/x', 'data:text/plain,hi']) {
      const reason = expect.stringContaining('unsupported protocol');
      expect(judgeRedirect({ url: u('http://127.0.0.1/a') }, { url: u(to) })).toMatchObject({ follow: false, reason });
    }
  });

  test('the same origin is scheme, host and port (default ports included)', () => {
    const from = { url: u('https://127.0.0.1/a') };
    expect(judgeRedirect(from, { url: u('https://127.0.0.1:443/b') })).toEqual({ follow: true, sameOrigin: true });
    expect(judgeRedirect(from, { url: u('https://127.0.0.1:8443/b') })).toEqual({ follow: true, sameOrigin: false });
    expect(judgeRedirect(from, { url: u('https://localhost/b') })).toEqual({ follow: true, sameOrigin: false });
  });
});

test('URLs are printed without user name and password', () => {
  expect(displayUrl('https://alice:s3cret@charts.example.com/i.yaml')).toBe('https://charts.example.com/i.yaml');
  expect(displayUrl(u('http://tok@127.0.0.1:1/x?y=1'))).toBe('http://127.0.0.1:1/x?y=1');
  expect(displayUrl('not a url')).toBe('not a url');
  expect(displayUrl('http://a:b@[bad')).toBe('http://[bad');
});
