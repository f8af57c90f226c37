// Live progress on a real pseudo-terminal of 60 × 10: `kc install --wait` of 14 Deployments that never schedule,
// with lines wider than the window and a table taller than it. The bytes kc writes are replayed on a VT100 screen
// model: what the screen shows is exactly kc's last frame, each line whole and within the width, the objects that
// fit and "… and N more", and why the objects wait (their pods are Unschedulable) well before the timeout.
// The pty comes from util-linux `script` (Debian's bsdutils, an Essential package: on every Debian machine and CI
// without an install step); node-pty is not a dependency and tmux is not installed by default.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freshNamespace, kubeconfigPath, type TestNamespace } from './helpers/cluster.js';
import { repoRoot } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { replay } from '../helpers/vt-screen.js';

const [COLUMNS, ROWS, COUNT] = [60, 10, 14];

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { ApiObject } from 'cdk8s';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({});

export class Many extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'many', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Many.meta, props);
    for (let i = 0; i < ${COUNT}; i++) {
      const labels = { app: 'w' + i };
      const template = { metadata: { labels },
        spec: { nodeSelector: { 'kc-test/none': 'true' }, containers: [{ name: 'app', image: 'app:1' }] } };
      new ApiObject(this, 'd' + i, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' + i },
        spec: { replicas: 1, selector: { matchLabels: labels }, template } });
    }
  }
}
export default Many;
`;

let ns: TestNamespace;
let chart: TempProject;
let child: ChildProcess | undefined;
beforeAll(async () => {
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (script.status !== 0) {
    throw new Error('this test needs util-linux `script` for a pseudo-terminal (Debian: bsdutils, always installed)');
  }
  ns = await freshNamespace('progress-tty');
  chart = tempProject({ 'index.ts': CHART });
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await ns.cleanup();
  chart.remove();
});

/**
 * The output up to where kc's latest redraw starts (it moves the cursor up), so the frame before it is complete, and
 * that frame's lines (each starts by clearing its line), colors and the clearing of what is below left out.
 */
function settled(output: string): { shown: string; frame: string[] } {
  const ups = [...output.matchAll(/\x1b\[\d+A/g)];
  const end = ups.at(-1)?.index ?? output.length;
  const before = ups.at(-2);
  const frame = output.slice(before ? before.index + before[0].length : 0, end);
  const lines = frame.split('\x1b[2K').slice(1);
  const plain = lines.map((l) => l.replace(/\x1b\[[0-9;]*[mJ]/g, '').replace(/\r?\n$/, ''));
  return { shown: output.slice(0, end), frame: plain };
}

describe('live progress on a 60 × 10 terminal', () => {
  test('the screen is kc\'s last frame: lines cut to the width, "… and N more", why objects wait', async () => {
    const kc = [path.join(repoRoot, 'bin/kc.cjs'), 'install', 'tty', chart.dir, '--kubeconfig', kubeconfigPath()];
    const command = [process.execPath, ...kc, '-n', ns.name, '--timeout', '20s'].map((a) => `'${a}'`);
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env.NO_COLOR;
    child = spawn('script', ['-qfec', `stty cols ${COLUMNS} rows ${ROWS} && exec ${command.join(' ')}`, '/dev/null'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    // Why an object waits is shown after 5 s, well before the 20 s timeout; then one more redraw or two.
    const started = Date.now();
    const waiting = () => !/is Unschedulable/.test(output) && Date.now() - started < 15_000;
    while (waiting()) await new Promise((r) => setTimeout(r, 100));
    const seenAfter = Date.now() - started;
    await new Promise((r) => setTimeout(r, 2500));
    const { shown, frame } = settled(output);
    const code = await exited;

    expect(code).toBe(7); // the timeout: the pods never schedule
    // Nothing else is printed into the table: Node's MaxListenersExceededWarning once was, with 14 requests at once.
    expect(output).not.toContain('(node:');
    expect(seenAfter).toBeLessThan(15_000);
    const screen = replay(shown, ROWS, COLUMNS);
    const visible = screen.rows.map((r) => r.trimEnd());
    const context = `screen:\n${visible.join('\n')}\nlast frame:\n${frame.join('\n')}`;
    // What the user sees is exactly the last frame, from the top row, and nothing else: no wrapped or stale lines.
    expect({ context, rows: visible.slice(0, frame.length) }).toEqual({ context, rows: frame });
    expect({ context, rest: visible.slice(frame.length).filter(Boolean) }).toEqual({ context, rest: [] });
    // The table and the cursor's line fit the window; one column is kept free.
    expect(frame).toHaveLength(ROWS - 1);
    expect(screen.cursor).toEqual({ row: ROWS - 1, column: 0 });
    expect(screen.rows.every((r) => r[COLUMNS - 1] === ' ')).toBe(true);
    // Each line is an object, why it waits, or the count of those left out, cut with "…" where it is too wide.
    const object = new RegExp(`^… tty: Deployment/${ns.name}/(w\\d+)`);
    const why = /^ {4}pod w\d+-[a-z0-9]+-[a-z0-9]+ is Unschedulable/;
    const more = /^… and (\d+) more \((\d+) ready\)$/;
    const known = (line: string) => object.test(line) || why.test(line) || more.test(line);
    expect(frame.filter((line) => !known(line))).toEqual([]);
    expect(frame.filter((l) => why.test(l)).length).toBeGreaterThan(0);
    expect(frame.filter((l) => object.test(l)).every((l) => l.endsWith('…'))).toBe(true);
    const names = frame.map((l) => object.exec(l)?.[1]).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
    expect(Number(more.exec(frame.at(-1)!)?.[1]) + names.length).toBe(COUNT);
  }, 60_000);
});
