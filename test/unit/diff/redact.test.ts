import { describe, expect, test } from '@jest/globals';
import { displayObject, redactSecretObject, secretPlaceholder } from '../../../src/diff/index.js';
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

describe('displayObject', () => {
  const managed = [{ manager: 'kc', operation: 'Apply', fieldsV1: { 'f:data': {} } }];

  test('leaves managedFields out and redacts Secret values', () => {
    const s = secret({ password: 'hunter2' });
    const live = { ...s, metadata: { ...s.metadata, uid: 'u1', managedFields: managed } };
    const out = displayObject(live, false);
    expect(out.metadata).toEqual({ name: 'db', namespace: 'ns', uid: 'u1' });
    expect(out.data).toEqual({ password: secretPlaceholder(Buffer.from('hunter2')) });
    expect(live.metadata.managedFields).toBe(managed); // the input is not changed
  });

  test('with showSecrets the values are shown; other kinds only lose managedFields', () => {
    expect(displayObject(secret({ password: 'hunter2' }), true).data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    const d = deployment('web');
    expect(displayObject(d, false)).toBe(d);
    expect(displayObject({ ...d, metadata: { ...d.metadata, managedFields: managed } }, false)).toEqual(d);
  });
});
