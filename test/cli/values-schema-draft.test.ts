import { describe, expect, test } from '@jest/globals';
import Ajv from 'ajv';
import { runCli } from '../helpers/run-cli.js';

/** Keywords draft-07 does not have: a draft-07 validator ignores them (or, strict, refuses the schema). */
const LATER_ONLY = /"(prefixItems|\$defs|dependentRequired|dependentSchemas|unevaluated\w+|\$dynamic\w+|\$anchor)"\s*:/;

describe('kc values schema --draft', () => {
  test('2020-12 by default, as before', async () => {
    const run = await runCli(['values', 'schema', 'charts/mysql']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((await runCli(['values', 'schema', 'charts/mysql', '--draft', '2020-12'])).stdout).toBe(run.stdout);
  });

  test.each([['values'], ['show']])(
    'kc %s schema --draft 07 writes draft-07 that a strict draft-07 validator takes',
    async (cmd) => {
      const run = await runCli([cmd, 'schema', 'charts/mysql', '--draft', '07']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const schema = JSON.parse(run.stdout);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(run.stdout).not.toMatch(LATER_ONLY);
      // Ajv's default class is draft-07; strict mode throws on any keyword it does not know.
      const validate = new Ajv({ strict: true, validateFormats: false }).compile(schema);
      expect(validate({ rootPassword: 'root', service: { port: 3306 } })).toBe(true);
      expect(validate({ rootPassword: 'root', service: { port: 'x' } })).toBe(false);
    },
  );

  test('an unknown draft is a usage error naming the choices', async () => {
    const run = await runCli(['values', 'schema', 'charts/mysql', '--draft', '04']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('2020-12, 07');
  });
});
