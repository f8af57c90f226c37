// A secret value the API server quotes back ("Invalid value: ...") is never printed or stored (#16).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freshNamespace, type TestNamespace } from './helpers/cluster.js';
import { kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

// A chart that puts a secret() value where the API server validates it: a label value.
const LEAK_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, secret, type ChartMeta } from 'kc/chart';

export const schema = z.object({ token: secret(z.string()) });
export class Leak extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'leak', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Leak.meta, props);
    new k8s.KubeConfigMap(this, 'c', { metadata: { name: \`\${id}-c\`, labels: { token: this.values.token } } });
  }
}
export default Leak;
`;
const TOKEN = 'Very Secret Token!';

let ns: TestNamespace;
let chart: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('redact');
  chart = tempProject({ 'leak/index.ts': LEAK_CHART });
});
afterAll(async () => {
  chart.remove();
  await ns.cleanup();
});

describe('secret values in API server errors', () => {
  test('install, its history, --dry-run=server and diff show <redacted>, never the value', async () => {
    const set = ['--set', `token=${TOKEN}`];
    const runs = [
      await kcIn(ns.name, ['install', 'lk', `${chart.dir}/leak`, ...set]),
      await kcIn(ns.name, ['install', 'lk2', `${chart.dir}/leak`, ...set, '--dry-run=server']),
      await kcIn(ns.name, ['diff', 'lk3', `${chart.dir}/leak`, ...set]),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('[OBJECT_INVALID]');
      expect(run.stderr).toContain('Invalid value: "<redacted>"');
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    }
    const history = await kcIn(ns.name, ['history', 'lk', '-o', 'json']);
    expect(history.stdout).toContain('<redacted>');
    expect(history.stdout).not.toContain(TOKEN);
  }, 60_000);
});
