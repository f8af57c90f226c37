import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { DRAFT_07, toDraft07 } from '../../../src/values/draft-07.js';

interface TreeNode {
  name: string;
  children?: TreeNode[];
}
const Node: z.ZodType<TreeNode> = z.object({
  name: z.string(),
  get children() {
    return z.array(Node).optional();
  },
});
/** A values schema using what zod writes differently per draft: recursion ($defs), tuples (prefixItems). */
const values = z.object({
  tree: Node,
  pair: z.tuple([z.string(), z.number()]).rest(z.boolean()),
  one: z.tuple([z.string()]),
  size: z.string().default('1Gi').describe('volume size'),
  port: z.number().int().min(1).max(65535).nullable(),
  mode: z.enum(['a', 'b']).optional(),
  labels: z.record(z.string(), z.string()),
  password: z.string().meta({ writeOnly: true }),
});
const latest = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

describe('toDraft07', () => {
  test('equals what zod itself writes for target draft-7', () => {
    const ours = toDraft07(latest(values));
    expect(ours).toEqual(z.toJSONSchema(values, { io: 'input', unrepresentable: 'any', target: 'draft-7' }));
    expect(ours.$schema).toBe(DRAFT_07);
    expect(JSON.stringify(ours)).not.toMatch(/prefixItems|\$defs/);
    expect(Object.keys(ours)).toContain('definitions');
  });

  test('rewrites keywords, never property names that look like keywords', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { prefixItems: { $ref: '#/$defs/x' }, $defs: { type: 'string', default: { $defs: 1 } } },
      dependentRequired: { a: ['b'] },
      unevaluatedProperties: false,
      $defs: { x: { type: 'array', prefixItems: [{ type: 'string' }], items: false } },
    };
    expect(toDraft07(schema)).toEqual({
      $schema: DRAFT_07,
      type: 'object',
      properties: { prefixItems: { $ref: '#/definitions/x' }, $defs: { type: 'string', default: { $defs: 1 } } },
      dependencies: { a: ['b'] },
      definitions: { x: { type: 'array', items: [{ type: 'string' }], additionalItems: false } },
    });
  });

  test('adds $schema when the input has none, and leaves the input as it was', () => {
    const schema = { type: 'object', $defs: { a: { type: 'string' } } };
    expect(toDraft07(schema)).toEqual({ $schema: DRAFT_07, type: 'object', definitions: { a: { type: 'string' } } });
    expect(schema).toEqual({ type: 'object', $defs: { a: { type: 'string' } } });
  });
});
