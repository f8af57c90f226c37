// kc status judges the release's latest revision as deploys do (findDrift) and exits by it: 0 when every object
// exists, matches and is ready; DRIFTED (7) when one is missing or changed outside kc; NOT_READY (7) otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import type { ReleaseStatusReport } from '../../src/actions/status.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { FakeKube } from '../helpers/fake-kube.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

// ConfigMaps named by the values, and a claim (never Bound by the fake cluster, so never ready) when asked.
const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({
  maps: z.record(z.string(), z.string()).default({}),
  claim: z.boolean().default(false),
});

export class Maps extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'maps', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Maps.meta, props);
    for (const [name, v] of Object.entries(this.values.maps)) {
      new k8s.KubeConfigMap(this, name, { metadata: { name: \`\${id}-\${name}\` }, data: { v } });
    }
    if (this.values.claim) {
      new k8s.KubePersistentVolumeClaim(this, 'data', {
        metadata: { name: \`\${id}-data\` },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } },
      });
    }
  }
}
export default Maps;
`;

let chart: TempProject;
let session: ClusterSession;
let client: FakeKube;
let cacheDir: string;

beforeEach(async () => {
  chart = tempProject({ 'index.ts': CHART });
  ({ s: session, client } = memorySession());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { fieldManager: 'test' });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-status-cache-'));
});
afterEach(() => {
  chart.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) => runCli(args, { ctx: { connect: async () => session, cacheDir } });
const maps = ['--set', 'maps.a=1', '--set', 'maps.b=2'];
const key = (kind: string, name: string) => `/${kind}/ns/${name}`;
const json = async (args: string[]) => JSON.parse((await kc([...args, '-o', 'json'])).stdout) as ReleaseStatusReport;

/** What `kubectl edit` does to a live object: new content, and a second field manager. */
function editOutsideKc(name: string, data: Record<string, string>): void {
  const live = client.objects.get(key('ConfigMap', name))!;
  const edit = { manager: 'kubectl-edit', operation: 'Update' };
  const managedFields = [...(live.metadata!.managedFields as object[]), edit];
  client.objects.set(key('ConfigMap', name), { ...live, metadata: { ...live.metadata, managedFields }, data });
}

describe('kc status exit codes', () => {
  test('0 when every object exists, matches and is ready; each row says synced', async () => {
    expect((await kc(['install', 'r', chart.dir, ...maps])).code).toBe(0);
    const run = await kc(['status', 'r']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/OBJECT\s+READY\s+SYNC\s+REASON\n/);
    expect(run.stdout).toMatch(/ConfigMap\/ns\/r-a\s+yes\s+synced\s/);
    expect(run.stdout).toMatch(/ConfigMap\/ns\/r-b\s+yes\s+synced\s/);
    const report = await json(['status', 'r']);
    expect(report.verdict).toBe('ready');
    expect(report.objects.map((o) => o.sync)).toEqual(['synced', 'synced']);
  });

  test('DRIFTED (7) names a deleted object and an edited one; an unchanged upgrade repairs both, then 0', async () => {
    await kc(['install', 'r', chart.dir, ...maps]);
    client.objects.delete(key('ConfigMap', 'r-b'));
    editOutsideKc('r-a', { v: 'edited' });

    const run = await kc(['status', 'r']);
    expect(run.code).toBe(7);
    expect(run.stdout).toMatch(/ConfigMap\/ns\/r-a\s+yes\s+drifted\s+edited outside kc/);
    expect(run.stdout).toMatch(/ConfigMap\/ns\/r-b\s+no\s+missing\n/);
    expect(run.stderr).toContain('Error [DRIFTED]: 2 objects of release r are missing or differ from revision 1');
    expect(run.stderr).toContain('  ConfigMap/ns/r-a: edited outside kc\n  ConfigMap/ns/r-b: missing\n');
    const repair = '`kc upgrade`/`kc deploy` with the same chart and values applies them again';
    expect(run.stderr).toContain(`Hint: \`kc diff\` shows the changes; ${repair}\n`); // no flag needed

    // The structured result carries the same judgement, and the same exit code.
    const asJson = await kc(['status', 'r', '-o', 'json']);
    expect(asJson.code).toBe(7);
    const report = JSON.parse(asJson.stdout) as ReleaseStatusReport;
    expect(report.verdict).toBe('drifted');
    expect(report.objects.map((o) => [o.ref.name, o.exists, o.sync, o.drift])).toEqual([
      ['r-a', true, 'drifted', { kind: 'edited', reason: 'edited outside kc' }],
      ['r-b', false, 'missing', { kind: 'missing', reason: 'missing' }],
    ]);

    const repaired = await kc(['upgrade', 'r', chart.dir, ...maps]);
    expect(repaired.code).toBe(0);
    const after = await kc(['status', 'r']);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(client.objects.get(key('ConfigMap', 'r-a'))?.data).toEqual({ v: '1' });
  });

  test('an object taken by another release, or by no release, is drift too', async () => {
    await kc(['install', 'r', chart.dir, ...maps]);
    const annotate = (name: string, annotations: Record<string, string>) => {
      const live = client.objects.get(key('ConfigMap', name))!;
      client.objects.set(key('ConfigMap', name), { ...live, metadata: { ...live.metadata, annotations } });
    };
    annotate('r-a', { 'kc.dev/release': 'ns/other' });
    annotate('r-b', {});
    const run = await kc(['status', 'r']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('  ConfigMap/ns/r-a: owned by release ns/other\n');
    expect(run.stderr).toContain('  ConfigMap/ns/r-b: not owned by kc\n');
    expect(run.stderr).toContain('(--adopt takes objects kc does not own)');
  });

  test('NOT_READY (7) when every object matches but one is not ready; 0 once it is', async () => {
    expect((await kc(['install', 'r', chart.dir, ...maps, '--set', 'claim=true', '--no-wait'])).code).toBe(0);
    const run = await kc(['status', 'r']);
    expect(run.code).toBe(7);
    expect(run.stdout).toMatch(/PersistentVolumeClaim\/ns\/r-data\s+no\s+synced\s+Pending/);
    expect(run.stderr).toContain('Error [NOT_READY]: 1 object of release r is not ready');
    expect(run.stderr).toMatch(/\n {2}PersistentVolumeClaim\/ns\/r-data: Pending/);
    expect((await json(['status', 'r'])).verdict).toBe('not-ready');

    // The claim binds: a status write, which is no drift.
    const claim = client.objects.get(key('PersistentVolumeClaim', 'r-data')) as KubeObject;
    client.objects.set(key('PersistentVolumeClaim', 'r-data'), { ...claim, status: { phase: 'Bound' } });
    const bound = await kc(['status', 'r']);
    expect(bound.stderr).toBe('');
    expect(bound.code).toBe(0);
  });

  test('drift wins over readiness: a missing object is DRIFTED even while another is not ready', async () => {
    await kc(['install', 'r', chart.dir, ...maps, '--set', 'claim=true', '--no-wait']);
    client.objects.delete(key('ConfigMap', 'r-a'));
    const run = await kc(['status', 'r']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('Error [DRIFTED]: 1 object of release r is missing or differs from revision 1');
    expect(run.stderr).not.toContain('NOT_READY');
  });

  test('a past revision and an uninstalled one are shown, not judged: exit 0, no SYNC', async () => {
    await kc(['install', 'r', chart.dir, ...maps]);
    await kc(['upgrade', 'r', chart.dir, '--set', 'maps.a=3']);
    const past = await kc(['status', 'r', '--revision', '1']);
    expect(past.code).toBe(0);
    expect(past.stdout).toMatch(/ConfigMap\/ns\/r-b\s+no\s+not in revision 2 \(pruned\)/);
    expect((await json(['status', 'r', '--revision', '1'])).verdict).toBeUndefined();

    expect((await kc(['uninstall', 'r', '--keep-history'])).code).toBe(0);
    const gone = await kc(['status', 'r']);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/STATUS: uninstalled[^]*ConfigMap\/ns\/r-a\s+no\s+deleted by the uninstall/);
  });
});
