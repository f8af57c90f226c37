import { describe, expect, test } from '@jest/globals';
import { diffObjects } from '../../../src/diff/index.js';
import { isKcError } from '../../../src/errors/index.js';
import { asLive, deployment, secret } from './fixtures.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'ns' };

describe('diffObjects', () => {
  test('create: everything added, headers name the object', () => {
    const change = diffObjects(undefined, deployment('web'), {});
    expect(change.ref).toEqual(ref);
    expect(change.action).toBe('create');
    expect(change.patch.split('\n').slice(0, 2)).toEqual(['--- live Deployment/ns/web', '+++ desired Deployment/ns/web']);
    expect(change.patch).toContain('+kind: Deployment');
    expect(change.patch).not.toMatch(/^-[^-]/m);
  });

  test('delete: everything removed, ref from the live object', () => {
    const change = diffObjects(asLive(deployment('web')), undefined, {});
    expect(change).toMatchObject({ ref, action: 'delete' });
    expect(change.patch).toContain('-kind: Deployment');
    expect(change.patch).not.toMatch(/^\+[^+]/m);
    expect(change.patch).not.toContain('resourceVersion');
  });

  test('update: only the changed line differs', () => {
    const change = diffObjects(asLive(deployment('web', 1)), deployment('web', 3), {});
    expect(change.action).toBe('update');
    const changed = change.patch.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual(['-  replicas: 1', '+  replicas: 3']);
    expect(change.patch).toContain('@@');
  });

  test('context controls the lines around a change', () => {
    const narrow = diffObjects(deployment('web', 1), deployment('web', 3), { context: 0 });
    const wide = diffObjects(deployment('web', 1), deployment('web', 3), { context: 100 });
    expect(narrow.patch.split('\n').filter((l) => l.startsWith(' '))).toEqual([]);
    expect(wide.patch).toContain(' kind: Deployment');
  });

  test('unchanged: differences only in server noise give no patch', () => {
    const live = asLive(deployment('web'), { resourceVersion: '999' });
    expect(diffObjects(live, deployment('web'), {})).toEqual({ ref, action: 'unchanged', patch: '' });
  });

  test('key order does not matter', () => {
    const a = deployment('web');
    const b = { spec: a.spec, metadata: a.metadata, kind: a.kind, apiVersion: a.apiVersion };
    expect(diffObjects(a, b, {}).action).toBe('unchanged');
  });

  test('a Secret written with stringData matches its live data form', () => {
    const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'ns' }, type: 'Opaque', stringData: { password: 'hunter2' } };
    expect(diffObjects(asLive(secret({ password: 'hunter2' })), desired, {}).action).toBe('unchanged');
  });

  test('throws an internal error when both sides are missing', () => {
    let thrown: unknown;
    try {
      diffObjects(undefined, undefined, {});
    } catch (err) {
      thrown = err;
    }
    expect(isKcError(thrown) && thrown.code).toBe('INTERNAL');
  });
});

describe('Secrets in diffs', () => {
  const plain = 'hunter2-old';
  const next = 'hunter2-new';
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  test('values never appear, yet a changed value shows as a change', () => {
    const change = diffObjects(asLive(secret({ password: plain, user: 'admin' })), secret({ password: next, user: 'admin' }), {});
    expect(change.action).toBe('update');
    for (const s of [plain, next, b64(plain), b64(next), 'admin', b64('admin')]) expect(change.patch).not.toContain(s);
    const changed = change.patch.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual([
      expect.stringMatching(/^- {2}password: "?\(redacted: hmac [0-9a-f]{8}, 11 bytes\)"?$/),
      expect.stringMatching(/^\+ {2}password: "?\(redacted: hmac [0-9a-f]{8}, 11 bytes\)"?$/),
    ]);
  });

  test('an unchanged value is not a change', () => {
    expect(diffObjects(asLive(secret({ password: plain })), secret({ password: plain }), {}).action).toBe('unchanged');
  });

  test('created and deleted Secrets are redacted too', () => {
    const created = diffObjects(undefined, secret({ password: plain }), {});
    const deleted = diffObjects(secret({ password: plain }), undefined, {});
    for (const patch of [created.patch, deleted.patch]) {
      expect(patch).not.toContain(plain);
      expect(patch).not.toContain(b64(plain));
      expect(patch).toContain('redacted: hmac');
    }
  });

  test('stringData values are redacted when diffed against nothing', () => {
    const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'ns' }, stringData: { password: plain } };
    const patch = diffObjects(undefined, desired, {}).patch;
    expect(patch).not.toContain(plain);
    expect(patch).not.toContain(b64(plain));
  });

  test('showSecrets reveals the values', () => {
    const change = diffObjects(asLive(secret({ password: plain })), secret({ password: next }), { showSecrets: true });
    expect(change.patch).toContain(`-  password: ${b64(plain)}`);
    expect(change.patch).toContain(`+  password: ${b64(next)}`);
    expect(change.patch).not.toContain('redacted');
  });
});
