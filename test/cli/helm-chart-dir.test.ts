// What kc says about a Helm chart directory where it takes one (template) and where it does not (show, lint,
// package), without a helm binary: every answer names the Helm chart and the way forward.
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

const chart = tempProject({
  'hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
  'hello/values.yaml': 'replicaCount: 1\n',
  'hello/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
});
const saved = process.env.KC_HELM;
process.env.KC_HELM = path.join(chart.dir, 'no-helm-here');
afterAll(() => {
  if (saved === undefined) delete process.env.KC_HELM;
  else process.env.KC_HELM = saved;
  chart.remove();
});
const kc = (...args: string[]) => runCli(args, { cwd: chart.dir });

describe('a Helm chart directory', () => {
  test('template needs helm: HELM_NOT_FOUND naming KC_HELM, exit 3', async () => {
    const run = await kc('template', 'web', './hello');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[HELM_NOT_FOUND]');
    expect(run.stderr).toContain('KC_HELM');
  });

  test('--version with a chart directory is a usage error, before helm is looked for', async () => {
    const run = await kc('template', 'web', './hello', '--version', '1.0.0');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--version 1.0.0');
  });

  test('show says it reads kc charts and names helm show', async () => {
    const run = await kc('show', 'values', './hello');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('./hello is a Helm chart');
    expect(run.stderr).toContain('helm show values ./hello');
  });

  test('lint and package name the Helm chart and what takes it', async () => {
    for (const command of ['lint', 'package']) {
      const run = await kc(command, './hello');
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('./hello is a Helm chart (Chart.yaml)');
      expect(run.stderr).toContain('kc install, upgrade, template and diff take a Helm chart');
    }
  });
});
