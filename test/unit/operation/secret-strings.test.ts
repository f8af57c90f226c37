import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { redactError, redactText, secretStrings } from '../../../src/operation/secret-strings.js';

const plan = {
  values: { db: { password: 's3cret-pw', user: 'app' }, short: 'ab' },
  secretPaths: [['db', 'password'], ['short']],
  objects: [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: Buffer.from('tok-value').toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { visible: 'not-a-secret' } },
  ],
  hooks: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'h' }, stringData: { hookpw: 'hook-secret' } }],
};

describe('secret strings', () => {
  test('values at secret paths, Secret data (base64 and decoded), stringData; not ConfigMaps or short values', () => {
    const secrets = secretStrings(plan);
    expect(secrets).toEqual(expect.arrayContaining(['s3cret-pw', 'tok-value', Buffer.from('tok-value').toString('base64'), 'hook-secret']));
    expect(secrets).not.toContain('not-a-secret');
    expect(secrets).not.toContain('ab');
  });

  test('an API server error quoting a secret is redacted in message and details, code and exit kept', () => {
    const err = new KcError('OBJECT_INVALID', 'apply ConfigMap/x: metadata.labels: Invalid value: "s3cret-pw"', {
      details: ['metadata.labels: Invalid value: "s3cret-pw": must be 63 characters or less'],
      hint: 'fix the object in the chart',
    });
    const clean = redactError(err, secretStrings(plan)) as KcError;
    expect(clean).toMatchObject({ code: 'OBJECT_INVALID', hint: 'fix the object in the chart' });
    expect(clean.message).toBe('apply ConfigMap/x: metadata.labels: Invalid value: "<redacted>"');
    expect(clean.details.join('\n')).not.toContain('s3cret-pw');
    expect(redactText('no secret here', secretStrings(plan))).toBe('no secret here');
  });
});
