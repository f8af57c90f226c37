// A redeploy of an unchanged chart or app says "no changes" without running the chart (render-memo.ts,
// unchanged.ts), and any change of chart code, values, files read or cluster state still renders and deploys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { memorySession } from '../helpers/memory-session.js';
import { CONFIG_CHART, PROJECT_FILE, tempProject, type TempProject } from '../helpers/temp-project.js';
import type { ClusterSession } from '../../src/actions/cluster-session.js';

// The chart appends a line to the log file each time it is constructed, so a test can count renders.
const chartLogging = (log: string) =>
  CONFIG_CHART.replace("import type { Construct } from 'constructs';", "import type { Construct } from 'constructs';\nimport { appendFileSync } from 'node:fs';").replace(
    'super(scope, id, Maps.meta, props);',
    `super(scope, id, Maps.meta, props);\n    appendFileSync(${JSON.stringify(log)}, \`\${id}\\n\`);`,
  );

let dir: TempProject;
let session: ClusterSession;
let cacheDir: string;
let log: string;
let chart: string;

beforeEach(async () => {
  dir = tempProject({});
  log = path.join(dir.dir, 'renders.log');
  chart = chartLogging(log);
  dir.write({ 'index.ts': chart });
  session = memorySession().s;
  await session.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { fieldManager: 'test' });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-memo-cache-'));
  fs.writeFileSync(log, '');
});
afterEach(() => {
  dir.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) => runCli(args, { ctx: { connect: async () => session, cacheDir } });
const renders = () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
const revisions = async (release: string) => (await session.store.history('ns', release)).map((h) => `${h.revision} ${h.status}`);

describe('kc upgrade of an unchanged chart', () => {
  test('says "no changes" without running the chart; new values render and deploy', async () => {
    expect((await kc(['upgrade', '--install', 'r', dir.dir, '--set', 'maps.a.k=1'])).code).toBe(0);
    expect(renders()).toBe(1);

    const again = await kc(['upgrade', 'r', dir.dir, '--set', 'maps.a.k=1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('r: no changes (revision 1');
    expect(renders()).toBe(1);
    expect(await revisions('r')).toEqual(['1 deployed']);

    const changed = await kc(['upgrade', 'r', dir.dir, '--set', 'maps.a.k=2']);
    expect(changed.stdout).toContain('Upgrade complete');
    expect(renders()).toBe(2);
    expect(await revisions('r')).toEqual(['1 superseded', '2 deployed']);
  });

  test('a changed --set-file file renders again', async () => {
    const file = path.join(dir.dir, 'value.txt');
    fs.writeFileSync(file, 'one');
    const upgrade = () => kc(['upgrade', '--install', 'r', dir.dir, '--set-file', `maps.a.k=${file}`]);
    await upgrade();
    expect((await upgrade()).stdout).toContain('no changes');
    expect(renders()).toBe(1);
    fs.writeFileSync(file, 'two');
    expect((await upgrade()).stdout).toContain('Upgrade complete');
    expect(renders()).toBe(2);
  });

  test('changed chart code renders again', async () => {
    await kc(['upgrade', '--install', 'r', dir.dir]);
    dir.write({ 'index.ts': chart.replace('`${id}\\n`', '`${id} (v2)\\n`') });
    expect((await kc(['upgrade', 'r', dir.dir])).code).toBe(0);
    expect(renders()).toBe(2);
    expect(await revisions('r')).toEqual(['1 deployed']); // same objects: the render ran, then found nothing to do
  });

  test('when the cluster no longer runs the remembered render (a rollback), the upgrade deploys it', async () => {
    await kc(['upgrade', '--install', 'r', dir.dir, '--set', 'maps.a.k=1']);
    await kc(['upgrade', 'r', dir.dir, '--set', 'maps.a.k=2']);
    expect((await kc(['rollback', 'r', '1'])).code).toBe(0);
    const back = await kc(['upgrade', 'r', dir.dir, '--set', 'maps.a.k=2']);
    expect(back.stdout).toContain('Upgrade complete');
    expect(await revisions('r')).toEqual(['1 superseded', '2 superseded', '3 superseded', '4 deployed']);
  });

  test('a render that failed remembers nothing', async () => {
    dir.write({ 'index.ts': chart.replace('super(scope, id, Maps.meta, props);', "super(scope, id, Maps.meta, props);\n    throw new Error('broken');") });
    expect((await kc(['upgrade', '--install', 'r', dir.dir])).code).toBe(4);
    expect(fs.existsSync(path.join(cacheDir, 'renders')) && fs.readdirSync(path.join(cacheDir, 'renders')).length).toBeFalsy();
  });
});

describe('kc deploy of an unchanged app', () => {
  const app = (releases: string[]) => `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
export default defineApp((app) => {
${releases.map((r) => `  new Maps(app, '${r}', { maps: { m: { v: '1' } } });`).join('\n')}
});
`;

  test('says "no changes" for every release without running the app', async () => {
    dir.write({ 'kc.config.ts': PROJECT_FILE, 'maps.ts': chart, 'app.ts': app(['alpha', 'beta']) });
    expect((await kc(['deploy', dir.dir, '--env', 'test'])).code).toBe(0);
    expect(renders()).toBe(2);
    const again = await kc(['deploy', dir.dir, '--env', 'test']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('alpha: no changes');
    expect(again.stdout).toContain('beta: no changes');
    expect(renders()).toBe(2);
    expect((await kc(['deploy', dir.dir, '--env', 'test', '--only', 'beta'])).stdout).toContain('beta: no changes');
    expect(renders()).toBe(2);
  });

  test('a release kept by --no-prune is still pruned by the next plain deploy', async () => {
    dir.write({ 'kc.config.ts': PROJECT_FILE, 'maps.ts': chart, 'app.ts': app(['alpha', 'beta']) });
    await kc(['deploy', dir.dir, '--env', 'test']);
    dir.write({ 'app.ts': app(['alpha']) });
    await kc(['deploy', dir.dir, '--env', 'test', '--no-prune']);
    expect(await revisions('beta')).toEqual(['1 deployed']);
    const plain = await kc(['deploy', dir.dir, '--env', 'test']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('beta: uninstalled (no longer in the app)');
    expect(await revisions('beta')).toEqual([]);
  });
});
