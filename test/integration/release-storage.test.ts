// Release records: no 1 MiB cap, history trimmed to --history-max, secrets never in plain text or output.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn, secretsOf } from './helpers/kc.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
let charts: TempProject;

// A chart of `count` ConfigMaps of ~800 KiB of incompressible text each (a seeded xorshift, so renders repeat).
const BIG_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({ count: z.number().default(4), seed: z.number().default(1) });

function noise(seed: number, bytes: number): string {
  let x = seed * 2654435761 >>> 0 || 1;
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 255; }
  return out.toString('base64');
}

export class Big extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'big', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Big.meta, props);
    for (let i = 0; i < this.values.count; i++) {
      new k8s.KubeConfigMap(this, 'part' + i, { metadata: { name: id + '-' + i }, data: { blob: noise(this.values.seed * 100 + i, 600 * 1024) } });
    }
  }
}
export default Big;
`;

beforeAll(async () => {
  ns = await freshNamespace('storage');
  charts = tempProject({ 'big/index.ts': BIG_CHART, 'maps/index.ts': CONFIG_CHART });
});
afterAll(async () => {
  await ns.cleanup();
  charts.remove();
});

describe('release records', () => {
  test('a 3 MiB release is stored in parts and upgraded and read back', async () => {
    const install = await kcIn(ns.name, ['install', 'big', `${charts.dir}/big`, '--no-wait']);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);
    const records = (await secretsOf(ns.name)).filter((s) => s.type === 'kc.dev/release.v1');
    const sizes = records.map((s) => Buffer.from(s.data!.payload, 'base64').length);
    // Even compressed, the record is far over one object's 1 MiB; each part stays at 512 KiB.
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(2 * 1024 * 1024);
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(sizes.every((n) => n <= 512 * 1024)).toBe(true);
    const manifest = await kcIn(ns.name, ['get', 'manifest', 'big']);
    expect(manifest.stdout.length).toBeGreaterThan(3 * 1024 * 1024);
    const upgrade = await kcIn(ns.name, ['upgrade', 'big', `${charts.dir}/big`, '--set', 'seed=2', '--no-wait']);
    expect(upgrade.code).toBe(0);
    expect((await historyOf(ns.name, 'big')).map((h) => h.status)).toEqual(['superseded', 'deployed']);
  }, 120_000);

  test('15 revisions with --history-max 10 keep the last 10', async () => {
    for (let i = 1; i <= 15; i++) {
      const args = i === 1 ? ['install', 'many'] : ['upgrade', 'many'];
      const run = await kcIn(ns.name, [...args, `${charts.dir}/maps`, '--set', `maps.a.v=${i}`, '--no-wait', '--history-max', '10']);
      expect(run.code).toBe(0);
    }
    const history = await historyOf(ns.name, 'many');
    expect(history.map((h) => h.revision)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(history.at(-1)!.status).toBe('deployed');
    const rollback = await kcIn(ns.name, ['rollback', 'many', '3']);
    expect(rollback.code).toBe(3);
    expect(rollback.stderr).toContain('revision 3 does not exist (or was trimmed from history)');
  }, 120_000);
});

describe('--history-max 0 keeps every revision', () => {
  // Operations then read the record heads not superseded (a label selector the API server applies): every step
  // must still number, supersede and roll back as with the whole history.
  test('upgrades, a no-op and a rollback number and supersede revisions as with the whole history', async () => {
    const run = async (args: string[]) => {
      const done = await kcIn(ns.name, [...args, '--no-wait', '--history-max', '0']);
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      return done;
    };
    await run(['install', 'whole', `${charts.dir}/maps`, '--set', 'maps.a.v=1']);
    for (let i = 2; i <= 4; i++) await run(['upgrade', 'whole', `${charts.dir}/maps`, '--set', `maps.a.v=${i}`]);
    const noop = await run(['upgrade', 'whole', `${charts.dir}/maps`, '--set', 'maps.a.v=4']);
    expect(noop.stdout).toContain('no changes');
    await run(['rollback', 'whole', '2']);
    await run(['upgrade', 'whole', `${charts.dir}/maps`, '--set', 'maps.a.v=7']);
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    const value = async () => (await core.readNamespacedConfigMap({ name: 'whole-a', namespace: ns.name })).data;
    expect(await value()).toEqual({ v: '7' });
    await run(['rollback', 'whole']); // to the revision before the latest: 5, the rollback to 2
    const history = await historyOf(ns.name, 'whole');
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual([
      '1:superseded', '2:superseded', '3:superseded', '4:superseded', '5:superseded', '6:superseded', '7:deployed',
    ]);
    expect(history.at(-1)!.description).toBe('Rollback to 5');
    expect(await value()).toEqual({ v: '2' });
  }, 120_000);
});

describe('uninstall --keep-history', () => {
  test('keeps the records: list hides the release unless --all or --uninstalled, and rollback brings it back', async () => {
    const maps = `${charts.dir}/maps`;
    expect((await kcIn(ns.name, ['install', 'kept', maps, '--set', 'maps.a.v=1', '--no-wait'])).code).toBe(0);
    const gone = await kcIn(ns.name, ['uninstall', 'kept', '--keep-history', '--description', 'parked until spring']);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain('history kept');
    const names = async (...flags: string[]) =>
      (JSON.parse((await kcIn(ns.name, ['list', ...flags, '-o', 'json'])).stdout) as { name: string; status: string }[]).filter((r) => r.name === 'kept').map((r) => r.status);
    expect(await names()).toEqual([]);
    expect(await names('--all')).toEqual(['uninstalled']);
    expect(await names('--uninstalled')).toEqual(['uninstalled']);
    expect(await names('--deployed')).toEqual([]);
    expect((await kcIn(ns.name, ['status', 'kept'])).stdout).toMatch(/STATUS: uninstalled[^]*ConfigMap\/\S+\/kept-a\s+no\s+deleted by the uninstall/);

    // No revision named: the uninstalled one comes back, as a new revision.
    const back = await kcIn(ns.name, ['rollback', 'kept', '--no-wait', '--description', 'back for spring']);
    expect(back.code).toBe(0);
    // --description, as in Helm: the revision's line in history instead of the default text.
    expect((await historyOf(ns.name, 'kept')).map((h) => [h.revision, h.status, h.description])).toEqual([
      [1, 'uninstalled', 'parked until spring'],
      [2, 'deployed', 'back for spring'],
    ]);
    expect(await names()).toEqual(['deployed']);
    expect(await names('--deployed')).toEqual(['deployed']);
    expect(await names('--uninstalled')).toEqual([]);
    expect((await kcIn(ns.name, ['list', '-q', '--filter', '^kep?t$'])).stdout).toBe('kept\n');
    expect((await kcIn(ns.name, ['list', '--filter', '^kept$', '--no-headers'])).stdout).toMatch(/^kept\s+\S+\s+2\s+\S+\s+deployed\s/);
    expect((await kcIn(ns.name, ['get', 'manifest', 'kept'])).stdout).toContain('v: "1"');
    expect((await kcIn(ns.name, ['status', 'kept'])).stdout).toMatch(/ConfigMap\/\S+\/kept-a\s+yes/);
  }, 90_000);
});

describe('dry runs of rollback and uninstall, status of a past revision', () => {
  test('dry runs say what they would apply, delete and keep, and change nothing', async () => {
    const maps = `${charts.dir}/maps`;
    const names = async () => (await kcIn(ns.name, ['get', 'manifest', 'dry'])).stdout.match(/name: \S+/g);
    expect((await kcIn(ns.name, ['install', 'dry', maps, '--set', 'maps.a.v=1', '--set', 'maps.b.v=2', '--no-wait'])).code).toBe(0);
    expect((await kcIn(ns.name, ['upgrade', 'dry', maps, '--set', 'maps.a.v=3', '--set', 'maps.c.v=4', '--no-wait'])).code).toBe(0);
    const before = await names();

    for (const mode of ['--dry-run', '--dry-run=server']) {
      const rb = await kcIn(ns.name, ['rollback', 'dry', mode]);
      expect(rb.code).toBe(0);
      // Revision 1's manifest on stdout; revision 2's dry-c would be pruned.
      expect(rb.stdout).toMatch(/v: "1"[^]*name: dry-a[^]*v: "2"[^]*name: dry-b/);
      expect(rb.stdout).not.toContain('dry-c');
      expect(rb.stderr).toContain(`rolling dry back to revision 1 would apply 2 object(s) and delete 1`);
      expect(rb.stderr).toMatch(/would delete ConfigMap\/\S+\/dry-c/);
    }
    const server = await kcIn(ns.name, ['rollback', 'dry', '--dry-run=server']);
    expect(server.stdout).toContain('resourceVersion'); // as the API server would store them
    expect((await kcIn(ns.name, ['rollback', 'dry', '--dry-run=sideways'])).stderr).toContain('--dry-run=sideways: expected client or server');

    const un = await kcIn(ns.name, ['uninstall', 'dry', '--dry-run']);
    expect(un.code).toBe(0);
    expect(un.stdout).toMatch(/^dry run, nothing changed: uninstalling "dry" would delete 2 object\(s\)\n/);
    expect(un.stdout).toMatch(/would delete ConfigMap\/\S+\/dry-a/);

    // Nothing changed: two revisions, the same manifest, no lock left behind.
    expect((await historyOf(ns.name, 'dry')).map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
    expect(await names()).toEqual(before);
    expect((await kcIn(ns.name, ['upgrade', 'dry', maps, '--set', 'maps.a.v=3', '--set', 'maps.c.v=4'])).stdout).toContain('no changes');

    // Status of an older revision: its summary, and the live state of its objects.
    const first = await kcIn(ns.name, ['status', 'dry', '--revision', '1']);
    expect(first.stdout).toMatch(/REVISION: 1\nSTATUS: superseded\n[^]*ConfigMap\/\S+\/dry-a\s+yes[^]*ConfigMap\/\S+\/dry-b\s+no\s+not in revision 2 \(pruned\)/);
    expect(first.stdout).not.toContain('dry-c');
    const absent = await kcIn(ns.name, ['status', 'dry', '--revision', '9']);
    expect(absent.code).toBe(3);
    expect(absent.stderr).toContain('release dry has no revision 9');
    expect(absent.stderr).toContain('revisions kept: 1, 2');

    expect((await kcIn(ns.name, ['uninstall', 'dry'])).code).toBe(0);
    const missing = await kcIn(ns.name, ['uninstall', 'dry']);
    expect(missing.code).toBe(3);
    const ignored = await kcIn(ns.name, ['uninstall', 'dry', '--ignore-not-found']);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain(`release "dry" not found in namespace ${ns.name}: nothing to uninstall`);
  }, 120_000);
});

describe('uninstall --wait', () => {
  test('waits for deleted objects to go; a finalizer that holds one is named on timeout, the release already uninstalled', async () => {
    const maps = `${charts.dir}/maps`;
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    expect((await kcIn(ns.name, ['install', 'gone', maps, '--set', 'maps.a.v=1', '--no-wait'])).code).toBe(0);
    expect((await kcIn(ns.name, ['install', 'gone2', maps, '--set', 'maps.a.v=1', '--no-wait'])).code).toBe(0);
    // Several releases at once, as in Helm; one missing is let go with --ignore-not-found.
    const quick = await kcIn(ns.name, ['uninstall', 'gone', 'never-was', 'gone2', '--wait', '--ignore-not-found']);
    expect(quick.code).toBe(0);
    expect(quick.stdout).toBe(
      `release "gone" uninstalled: deleted 1 object(s)\nrelease "never-was" not found in namespace ${ns.name}: nothing to uninstall\nrelease "gone2" uninstalled: deleted 1 object(s)\n`,
    );
    for (const name of ['gone-a', 'gone2-a']) await expect(core.readNamespacedConfigMap({ name, namespace: ns.name })).rejects.toThrow();

    expect((await kcIn(ns.name, ['install', 'held', maps, '--set', 'maps.a.v=1', '--set', 'maps.b.v=2', '--no-wait'])).code).toBe(0);
    const setFinalizers = async (finalizers: string[]) => {
      const cm = await core.readNamespacedConfigMap({ name: 'held-a', namespace: ns.name });
      await core.replaceNamespacedConfigMap({ name: 'held-a', namespace: ns.name, body: { ...cm, metadata: { ...cm.metadata, finalizers } } });
    };
    await setFinalizers(['example.com/hold']);
    const held = await kcIn(ns.name, ['uninstall', 'held', '--wait', '--timeout', '2s']);
    expect(held.code).toBe(7);
    expect(held.stderr).toContain('Error [TIMEOUT]: release "held" is uninstalled, but timed out after 2s: 1 of 2 deleted objects are still there');
    expect(held.stderr).toMatch(/ConfigMap\/\S+\/held-a: being deleted since \S+, finalizers example\.com\/hold/);
    // Nothing half-done: the release is gone, and the object goes once its finalizer is cleared.
    expect((await kcIn(ns.name, ['history', 'held'])).code).toBe(3);
    await setFinalizers([]);
    await waitFor(async () => core.readNamespacedConfigMap({ name: 'held-a', namespace: ns.name }).then(() => undefined, () => true), { timeoutMs: 10_000, description: 'held-a to go' });
  }, 90_000);
});

describe('secrets', () => {
  const secret = 'S3cr3t-Pa55word';
  const b64 = Buffer.from(secret).toString('base64');

  test('no output and no stored record shows a secret value', async () => {
    const runs = [
      await kcIn(ns.name, ['install', 'db', 'charts/mysql', '--set', `rootPassword=${secret}`, '--set', 'persistence.enabled=false']),
      await kcIn(ns.name, ['upgrade', 'db', 'charts/mysql', '--reuse-values', '--set', 'image.tag=5.7.15', '--set', 'persistence.enabled=false']),
      await kcIn(ns.name, ['history', 'db', '-o', 'json']),
      await kcIn(ns.name, ['get', 'values', 'db']),
      await kcIn(ns.name, ['get', 'values', 'db', '--all', '-o', 'json']),
      await kcIn(ns.name, ['get', 'manifest', 'db']),
      await kcIn(ns.name, ['status', 'db', '-o', 'yaml']),
      await kcIn(ns.name, ['list', '-o', 'json']),
      await kcIn(ns.name, ['diff', 'db', 'charts/mysql', '--set', `rootPassword=${secret}x`, '--set', 'persistence.enabled=false']),
      await kcIn(ns.name, ['upgrade', 'db', 'charts/mysql', '--set', 'rootPassword=', '--set', 'persistence.enabled=false']),
      await kcIn(ns.name, ['get', 'all', 'db']),
      await kcIn(ns.name, ['get', 'hooks', 'db']),
      await kcIn(ns.name, ['get', 'metadata', 'db', '-o', 'json']),
      // A misspelt secret key: the error names the key and never its value.
      await kcIn(ns.name, ['upgrade', 'db', 'charts/mysql', '--reuse-values', '--set', `rootPasword=${secret}`]),
      await kcIn(ns.name, ['rollback', 'db', '1', '--dry-run=server']),
      await kcIn(ns.name, ['uninstall', 'db', '--dry-run']),
    ];
    expect(runs.slice(0, 9).map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(runs.slice(10).map((r) => r.code)).toEqual([0, 0, 0, 2, 0, 0]);
    expect(runs[14].stdout).toContain('mysql-root-password: "(redacted: hmac');
    expect(runs[10].stdout).toMatch(/^NAME: db\nNAMESPACE: [^]*USER-SUPPLIED VALUES:\nimage:\n {2}tag: 5\.7\.15\npersistence:\n {2}enabled: false\nrootPassword: <redacted>\n[^]*MANIFEST:\n[^]*HOOKS:\n[^]*kind: Job[^]*NOTES:\n/);
    expect(runs[11].stdout).toContain('kc.dev/hook: test');
    expect(JSON.parse(runs[12].stdout)).toMatchObject({ name: 'db', revision: 2, status: 'deployed', chart: 'mysql', version: '1.0.0', description: 'Upgrade complete' });
    expect(runs[13].stderr).toContain('rootPasword: not a value of this chart; did you mean rootPassword? (set by --set rootPasword=<redacted>)');
    expect(runs[3].stdout).toContain('rootPassword: <redacted>');
    expect(runs[5].stdout).toContain('mysql-root-password: "(redacted: hmac');
    expect(runs[8].stdout).toContain('~ update Secret/');
    expect(runs[9].code).toBe(2);
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(b64);
    }
    const shown = await kcIn(ns.name, ['get', 'values', 'db', '--show-secrets']);
    expect(shown.stdout).toContain(secret);
    for (const s of (await secretsOf(ns.name)).filter((x) => x.type === 'kc.dev/release.v1')) {
      const raw = Buffer.from(s.data!.payload, 'base64');
      expect(raw.includes(Buffer.from(secret))).toBe(false);
      expect(raw.includes(Buffer.from(b64))).toBe(false);
      expect(JSON.stringify(s.metadata)).not.toContain(secret);
    }
  }, 120_000);
});
