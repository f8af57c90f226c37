import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

describe('kc diff flags that only a release and chart take (no cluster needed)', () => {
  test.each([['--reuse-values'], ['--version=1.x']])('%s with a project is a usage error naming the fix', async (flag) => {
    const run = await runCli(['diff', 'examples/mysql', '--env', 'dev', flag]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${flag.split('=')[0]} applies to \`kc diff RELEASE CHART\`, not to a project`);
    expect(run.stderr).toContain('name the release and the chart, as for `kc upgrade`');
  });
});
