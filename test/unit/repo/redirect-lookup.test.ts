// The connect-time check of a redirect target's name, with the resolver injected: no name is really resolved.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { guardedLookup, REDIRECT_REFUSED } from '../../../src/repo/redirect-lookup.js';

/** A resolver that answers every name with `addresses`, in the single or the `all` form as asked. */
function fakeResolver(addresses: string[]): LookupFunction {
  return (_host, options, callback) => {
    const list: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  };
}

type Resolved = { err: NodeJS.ErrnoException | null; address: unknown };
function resolve(lookup: LookupFunction, all: boolean): Promise<Resolved> {
  return new Promise((done) => lookup('evil.example.net', { all }, (err, address) => done({ err, address })));
}

describe('the lookup of a redirect target', () => {
  test.each([['169.254.169.254'], ['127.0.0.1'], ['10.0.0.7'], ['fd00::1'], ['::ffff:192.168.1.1']])(
    'from a public host, a name resolving to %s is refused', async (ip) => {
      for (const all of [false, true]) {
        const { err } = await resolve(guardedLookup('public', fakeResolver([ip])), all);
        const message = expect.stringContaining(`evil.example.net resolves to ${ip}: a public host`);
        expect(err).toMatchObject({ code: REDIRECT_REFUSED, message });
      }
    },
  );

  test('one forbidden address among several is enough to refuse', async () => {
    const { err } = await resolve(guardedLookup('public', fakeResolver(['151.101.1.1', '10.0.0.7'])), true);
    expect(err).toMatchObject({ code: REDIRECT_REFUSED });
  });

  test('public targets, private to private and loopback sources pass the addresses through', async () => {
    const fromPublic = await resolve(guardedLookup('public', fakeResolver(['151.101.1.1'])), false);
    expect(fromPublic).toEqual({ err: null, address: '151.101.1.1' });
    const fromPrivate = await resolve(guardedLookup('private', fakeResolver(['10.0.0.7'])), false);
    expect(fromPrivate).toEqual({ err: null, address: '10.0.0.7' });
    const fromLoopback = await resolve(guardedLookup('loopback', fakeResolver(['127.0.0.1', '169.254.1.1'])), true);
    expect(fromLoopback.err).toBeNull();
  });

  test('a resolver error is passed on unchanged', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const failing: LookupFunction = (_h, _o, cb) => cb(notFound, '', 4);
    expect((await resolve(guardedLookup('public', failing), false)).err).toMatchObject({ code: 'ENOTFOUND' });
  });
});
