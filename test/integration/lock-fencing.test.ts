// The lock fences its holder (issue #16), on the local control plane: a kc paused (SIGSTOP) past its lease while
// another kc takes the release over must, once resumed, stop before its next write with LOCK_LOST, leaving the
// other's revision the one deployed and the cluster holding the other's values.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn, spawnKc, waitForLease } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

// A chart whose rendering takes `spinMs` of busy work: the window in which its process is paused.
const SLOW_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({ value: z.string(), spinMs: z.number().default(0) });

export class Slow extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'slow', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Slow.meta, props);
    const end = Date.now() + this.values.spinMs;
    while (Date.now() < end) { /* rendering takes this long */ }
    new k8s.KubeConfigMap(this, 'cm', { metadata: { name: id }, data: { value: this.values.value } });
  }
}
export default Slow;
`;

let ns: TestNamespace;
let project: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('fence');
  project = tempProject({ 'slow/index.ts': SLOW_CHART });
});
afterAll(async () => {
  project.remove();
  await ns.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a holder paused past its lease', () => {
  test('resumes into LOCK_LOST and writes nothing; the release is the one the next holder made', async () => {
    const release = 'paused';
    const chart = `${project.dir}/slow`;
    // 3 s leases: the paused holder's lock expires soon after it stops.
    const first = spawnKc(
      ns.name,
      ['upgrade', '--install', release, chart, '--set', 'value=first', '--set', 'spinMs=4000', '--no-wait'],
      {
        KC_LOCK_DURATION_SECONDS: '3',
      },
    );
    try {
      await waitForLease(ns.name, release, 20_000);
      first.child.kill('SIGSTOP'); // while it renders: it holds the lock and has written nothing yet
      await sleep(3500);
      const second = await kcIn(ns.name, [
        'upgrade',
        '--install',
        release,
        chart,
        '--set',
        'value=second',
        '--no-wait',
        '--wait-for-lock',
        '30s',
      ]);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      first.child.kill('SIGCONT');
      const exit = await Promise.race([first.exited, sleep(60_000).then(() => ({ code: -1, signal: null }))]);
      expect(first.output()).toContain('[LOCK_LOST]');
      expect(exit.code).toBe(6);
    } finally {
      first.child.kill('SIGKILL');
    }
    expect((await historyOf(ns.name, release)).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    const cm = await core.readNamespacedConfigMap({ name: release, namespace: ns.name });
    expect(cm.data).toEqual({ value: 'second' });
    const coord = makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);
    const leases = await coord.listNamespacedLease({ namespace: ns.name });
    expect(leases.items).toEqual([]); // neither left its lock behind
  }, 120_000);
});
