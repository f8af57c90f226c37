// Local chart code runs where kc can stop it and where it cannot end kc (#16): the built CLI on charts that exit,
// loop forever or leave a timer running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { closedPortKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { kcSpawner } from '../helpers/spawn-kc.js';
import { tempProject } from '../helpers/temp-project.js';

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({ attack: z.string().default('none') });

export default class Hostile extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'hostile', version: '0.1.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Hostile.meta, props);
    const attack = this.values.attack;
    if (attack === 'exit') process.exit(0);
    if (attack === 'kill') process.kill(process.pid, 'SIGTERM');
    if (attack === 'loop') for (;;) Math.random();
    if (attack === 'interval') setInterval(() => undefined, 1000);
    new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'hostile' }, data: { attack } });
  }
}
`;

const PACKAGE_JSON = '{ "name": "hostile", "version": "0.1.0", "main": "index.ts" }\n';
const chart = tempProject({ 'package.json': PACKAGE_JSON, 'index.ts': CHART });
/** The same chart, ending the process as its module loads (before any chart is built). */
const exitsOnLoad = tempProject({ 'package.json': PACKAGE_JSON, 'index.ts': `process.exit(0);\n${CHART}` });
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-chart-code-'));
const spawner = kcSpawner({ KC_CACHE_DIR: cacheDir });
/** Starts the built kc (bin/kc.cjs, as users run it), killed with SIGKILL after `timeoutMs` should it not end. */
const kc = (args: string[], timeoutMs = 30_000) => spawner.kc(args, { timeoutMs });

afterAll(() => {
  spawner.killAll();
  chart.remove();
  exitsOnLoad.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const template = (attack: string) => ['template', 'r', chart.dir, '--set', `attack=${attack}`];
const at = /at .*index\.ts:\d+:\d+/;

describe('chart code on its own thread', () => {
  beforeAll(async () => {
    // Bundles the chart once (esbuild), so the timings below are of kc's run alone.
    const run = await kc(template('none'), 60_000).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 70_000);

  test('process.exit(0) in chart code is CHART_FAILED (exit 4) naming the call and where, not a success', async () => {
    const run = await kc(template('exit')).done;
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [CHART_FAILED]: chart code called process.exit(0)');
    expect(run.stderr).toMatch(at);
    expect(run.stderr).toContain('Hint: chart code must not end the process');
  }, 40_000);

  test('kc install with such a chart fails the same way before it contacts the cluster', async () => {
    const kubeconfig = closedPortKubeconfig(path.join(cacheDir, 'unreachable.yaml'));
    const args = ['install', 'r', chart.dir, '--set', 'attack=exit', '--dry-run', 'client', '--kubeconfig', kubeconfig];
    const run = await kc(args).done;
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Error [CHART_FAILED]: chart code called process.exit(0)');
  }, 40_000);

  test('process.kill(process.pid) in chart code does not signal kc: CHART_FAILED', async () => {
    const run = await kc(template('kill')).done;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Error [CHART_FAILED]: chart code called process.kill(');
  }, 40_000);

  test('kc show values and kc package read the schema on the thread too: exit there is CHART_FAILED', async () => {
    const shown = await kc(['show', 'values', exitsOnLoad.dir]).done;
    expect(shown.code).toBe(4);
    expect(shown.stderr).toContain('Error [CHART_FAILED]: chart code called process.exit(0)');
    const packaged = await kc(['package', exitsOnLoad.dir, '--destination', cacheDir]).done;
    expect(packaged.code).toBe(4);
    expect(packaged.stderr).toContain('Error [CHART_FAILED]: chart code called process.exit(0)');
  }, 60_000);

  test('Ctrl-C stops a chart that loops forever: kc ends within seconds, INTERRUPTED (exit 7)', async () => {
    const { child, done } = kc(template('loop'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    const run = await done;
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('Error [INTERRUPTED]: interrupted by SIGINT while chart code was running');
  }, 40_000);

  test('Ctrl-C stops a packaged chart that loops forever in its sandbox process too: INTERRUPTED', async () => {
    const packaged = await kc(['package', chart.dir, '--destination', cacheDir]).done;
    expect(packaged.code).toBe(0);
    const { child, done } = kc(['template', 'r', path.join(cacheDir, 'hostile-0.1.0.tgz'), '--set', 'attack=loop']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = Date.now();
    child.kill('SIGINT'); // kc alone, not its process group: kc must stop the sandbox itself
    const run = await done;
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('Error [INTERRUPTED]: interrupted by SIGINT while chart code was running');
  }, 60_000);

  test('a timer the chart leaves running does not keep kc template from exiting', async () => {
    const run = await kc(template('interval')).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('attack: interval');
    expect(run.ms).toBeLessThan(10_000); // the interval would keep it alive for ever
  }, 40_000);
});
