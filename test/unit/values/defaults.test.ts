import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { defaultsOf, resolveValues, secretPaths, type JsonSchema } from '../../../src/values/index.js';
import { secret } from '../../../src/chart/index.js';

const schema = z.object({
  password: secret(z.string()),
  image: z.object({ repository: z.string().default('mysql'), tag: z.string().default('5.7.14') }).prefault({}),
  required: z.object({ size: z.string().default('4Gi') }),
  optional: z.object({ host: z.string(), port: z.number().default(80) }).optional(),
  resources: z.object({ requests: z.record(z.string(), z.string()).optional() }).default({ requests: { cpu: '100m' } }),
});
const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;

describe('defaults from the JSON Schema', () => {
  test('nested defaults are collected; optional groups stay off', () => {
    expect(defaultsOf(json)).toEqual({
      image: { repository: 'mysql', tag: '5.7.14' },
      required: { size: '4Gi' },
      resources: { requests: { cpu: '100m' } },
    });
  });

  test('secret fields are found by their writeOnly mark', () => {
    expect(secretPaths(json)).toEqual([['password']]);
  });

  test('layers apply over defaults in order, and the result satisfies the zod schema', () => {
    const { values, provenance } = resolveValues(json, { password: 'p' }, [{ label: 'env', values: { image: { tag: '5.7.15' } } }], () => '');
    expect(schema.parse(values).image).toEqual({ repository: 'mysql', tag: '5.7.15' });
    expect(provenance.get('image.tag')).toBe('env');
    expect(provenance.get('image.repository')).toBe('chart defaults');
    expect(provenance.get('password')).toBe('app code');
  });
});
