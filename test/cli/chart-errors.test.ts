import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

describe('chart code failures', () => {
  test('a throwing chart reports the construct path and the .ts file:line', async () => {
    const { code, stderr } = await runCli(['synth', 'test/fixtures/throwing-chart']);
    expect(code).toBe(4);
    expect(stderr).toContain('Error [CHART_FAILED]: chart code threw while building broken/settings: replicas must be even');
    expect(stderr).toMatch(/at test\/fixtures\/throwing-chart\/app\.ts:14:\d+/);
  });
});
