import { describe, expect, test } from '@jest/globals';
import { redactSecretObject, secretPlaceholder } from '../../../src/diff/index.js';
import { deployment, secret } from './fixtures.js';

describe('redactSecretObject', () => {
  test('replaces data values with a digest and size of the decoded value', () => {
    const out = redactSecretObject(secret({ password: 'hunter2' }));
    expect(out.data).toEqual({ password: secretPlaceholder(Buffer.from('hunter2')) });
    expect(out.data).toEqual({ password: expect.stringMatching(/^\(redacted: hmac [0-9a-f]{8}, 7 bytes\)$/) });
  });

  test('data and stringData forms of one value get the same placeholder', () => {
    const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: Buffer.from('v').toString('base64') }, stringData: { a: 'v' } };
    const out = redactSecretObject(s);
    expect(out.data).toEqual(out.stringData);
  });

  test('the placeholder changes exactly when the value changes', () => {
    const a = redactSecretObject(secret({ k: 'one', same: 's' }));
    const b = redactSecretObject(secret({ k: 'two', same: 's' }));
    expect((a.data as Record<string, string>).k).not.toEqual((b.data as Record<string, string>).k);
    expect((a.data as Record<string, string>).same).toEqual((b.data as Record<string, string>).same);
  });

  test('leaves the input and other kinds untouched', () => {
    const s = secret({ k: 'v' });
    const before = structuredClone(s);
    redactSecretObject(s);
    expect(s).toEqual(before);
    const d = deployment('web');
    expect(redactSecretObject(d)).toBe(d);
  });
});
