import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { suggestKey, unknownKeys, type JsonSchema } from '../../../src/values/index.js';

const jsonOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

describe('unknownKeys', () => {
  const schema = jsonOf(
    z.object({
      replicaCount: z.number().default(1),
      image: z.object({ repository: z.string().default('nginx'), tag: z.string().default('1') }).default({ repository: 'nginx', tag: '1' }),
      labels: z.record(z.string(), z.string()).default({}),
      env: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
      extra: z.looseObject({ known: z.string().optional() }).default({}),
      free: z.any(),
      either: z.union([z.object({ a: z.string() }), z.string()]).optional(),
      strict: z.strictObject({ s: z.string().optional() }).default({}),
    }),
  );

  test('finds keys a plain object does not declare, at any depth', () => {
    expect(unknownKeys(schema, { replicacount: 3, image: { tag: '2', tga: '3' }, env: [{ name: 'A', value: 'b', vlaue: 'c' }] })).toEqual([
      { path: ['replicacount'] },
      { path: ['image', 'tga'] },
      { path: ['env', 0, 'vlaue'] },
    ]);
  });

  test('maps, loose objects, free-form values, unions and strict objects report nothing', () => {
    expect(
      unknownKeys(schema, {
        labels: { anything: 'x' },
        extra: { other: 1 },
        free: { deep: { er: 1 } },
        either: { a: 'x', b: 'y' },
        strict: { t: 'left to zod' },
      }),
    ).toEqual([]);
  });

  test('undefined values and a schema that says nothing report nothing', () => {
    expect(unknownKeys(schema, { gone: undefined })).toEqual([]);
    expect(unknownKeys(undefined, { a: 1 })).toEqual([]);
    expect(unknownKeys({}, { a: 1 })).toEqual([]);
  });

  test('suggestKey: a close spelling, the name without the chart name in front, or a flattened nested key', () => {
    const mysql = jsonOf(z.object({ rootPassword: z.string(), user: z.string().optional(), image: z.object({ tag: z.string().optional(), repository: z.string().optional() }).optional() }));
    expect(suggestKey(mysql, ['rootpasword'])).toBe('rootPassword');
    expect(suggestKey(mysql, ['mysqlRootPassword'], 'mysql')).toBe('rootPassword');
    expect(suggestKey(mysql, ['mysqlUser'], 'mysql')).toBe('user');
    expect(suggestKey(mysql, ['imageTag'])).toBe('image.tag');
    expect(suggestKey(mysql, ['image', 'tga'])).toBe('tag');
    expect(suggestKey(mysql, ['persistence'])).toBeUndefined();
    expect(suggestKey(mysql, ['mysqlUser'])).toBeUndefined(); // without the chart name, too far from "user"
  });
});
