// Options for a project only or a chart only are usage errors for the other, never silently ignored.
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

describe('options that do not apply to the target', () => {
  test.each([
    [['synth', 'charts/mysql', '--env', 'prod'], '--env prod: charts/mysql is a chart, not a project, and has no environments'],
    [['synth', 'charts/mysql', '--only', 'a'], '--only selects releases of a project; charts/mysql is a chart'],
    [['synth', 'examples/mysql', '--release', 'foo'], 'examples/mysql is a project, not a chart: its app names the releases'],
    [['template', 'x', 'charts/mysql', '--version', '2.0.0'], '--version 2.0.0: charts/mysql is a chart directory, which has one version'],
    [['diff', 'x', 'charts/mysql', '--env', 'prod'], '--env prod: charts/mysql is a chart'],
  ])('kc %j is a usage error naming the option', async (args, message) => {
    const result = await runCli([...args, '--set', 'rootPassword=r']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Error [USAGE]: ${message}`);
    expect(result.stdout).toBe('');
  });

  test('the options each target takes still work', async () => {
    expect((await runCli(['synth', 'charts/mysql', '--release', 'r', '--set', 'rootPassword=x'])).code).toBe(0);
    expect((await runCli(['synth', 'examples/mysql', '--env', 'dev', '--only', 'my-mysql'])).code).toBe(0);
  });
});
