// The built CLI on the real cluster: an upgrade's chart worker is started by the launcher (before the CLI loads)
// when the upgrade is new, and not when the same install or upgrade succeeded before (cli/launch.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { repoRoot } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { freshNamespace, kubeconfigPath, type TestNamespace } from './helpers/cluster.js';

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({ v: z.string().default('1') });
export class One extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'one', version: '0.1.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, One.meta, props);
    new k8s.KubeConfigMap(this, 'c', { metadata: { name: \`\${id}-c\` }, data: { v: this.values.v } });
  }
}
export default One;
`;

// Counts the chart workers created before the launcher hands over to the CLI (it sets __kcImport just before).
const PROBE = `const wt = require('node:worker_threads'); const fs = require('node:fs'); const Worker = wt.Worker;
let early = 0;
wt.Worker = class extends Worker { constructor(...a) { super(...a); if (!globalThis.__kcImport) early++; } };
process.on('exit', () => fs.writeFileSync(process.env.PROBE_OUT, String(early)));`;

let ns: TestNamespace;
let chart: TempProject;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-prestart-'));
const probe = path.join(work, 'probe.cjs');
beforeAll(async () => {
  ns = await freshNamespace('prestart');
  chart = tempProject({ 'one/index.ts': CHART });
  fs.writeFileSync(probe, PROBE);
});
afterAll(async () => {
  chart.remove();
  fs.rmSync(work, { recursive: true, force: true });
  await ns.cleanup();
});

/** Runs the built kc (with the cluster's flags) with the probe and its own cache; resolves with its exit code, output and early workers. */
function kc(args: string[], cluster = true): Promise<{ code: number | null; out: string; early: number }> {
  const out = path.join(work, 'early.txt');
  fs.rmSync(out, { force: true });
  const child = spawn(
    process.execPath,
    [
      '-r',
      probe,
      path.join(repoRoot, 'bin/kc.cjs'),
      ...args,
      ...(cluster ? ['--kubeconfig', kubeconfigPath(), '-n', ns.name] : []),
    ],
    {
      cwd: chart.dir,
      env: { ...process.env, NO_COLOR: '1', KC_CACHE_DIR: path.join(work, 'cache'), PROBE_OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: text, early: Number(fs.readFileSync(out, 'utf8')) });
    });
  });
}

describe("an upgrade's chart worker", () => {
  test('starts early for a new upgrade, not for the repeat of a successful install or upgrade', async () => {
    expect((await kc(['synth', 'one'], false)).code).toBe(0); // the folder's bundle is now known to the launcher
    const install = await kc(['install', 'r', 'one']);
    expect([install.code, install.early]).toEqual([0, 1]);

    const same = await kc(['upgrade', 'r', 'one']); // the install's arguments: a no-op, no worker
    expect(same.out).toContain('no changes');
    expect([same.code, same.early]).toEqual([0, 0]);

    const changed = await kc(['upgrade', 'r', 'one', '--set', 'v=2']);
    expect(changed.out).toContain('revision: 2');
    expect([changed.code, changed.early]).toEqual([0, 1]);

    const again = await kc(['upgrade', 'r', 'one', '--set', 'v=2']);
    expect(again.out).toContain('no changes');
    expect([again.code, again.early]).toEqual([0, 0]);

    // A failed upgrade is not remembered: its repeat starts the worker again.
    const failing = ['upgrade', 'r', 'one', '--set', 'v=3', '--set', 'nope=1'];
    expect((await kc(failing)).code).not.toBe(0);
    expect((await kc(failing)).early).toBe(1);
  }, 120_000);
});
