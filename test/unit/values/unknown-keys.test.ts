import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { unknownKeys, type JsonSchema } from '../../../src/values/index.js';

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

  test('finds keys a plain object does not declare, at any depth, with the names it does declare', () => {
    expect(unknownKeys(schema, { replicacount: 3, image: { tag: '2', tga: '3' }, env: [{ name: 'A', value: 'b', vlaue: 'c' }] })).toEqual([
      { path: ['replicacount'], known: ['replicaCount', 'image', 'labels', 'env', 'extra', 'free', 'either', 'strict'] },
      { path: ['image', 'tga'], known: ['repository', 'tag'] },
      { path: ['env', 0, 'vlaue'], known: ['name', 'value'] },
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
});
