// A project's kc.config.ts runs where kc can stop it and where it cannot end kc (#16), as chart code does
// (chart-code.test.ts): the built CLI on project files that exit, loop forever or leave a timer running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { kcSpawner } from '../helpers/spawn-kc.js';
import { tempProject } from '../helpers/temp-project.js';

const CONFIG = `import { defineConfig } from 'kc/config';
const attack = process.env.KC_TEST_CONFIG_ATTACK ?? 'none';
if (attack === 'exit') process.exit(0);
if (attack === 'kill') process.kill(process.pid, 'SIGTERM');
if (attack === 'loop') for (;;) Math.random();
if (attack === 'interval') setInterval(() => undefined, 1000);
export default defineConfig({ app: './app.ts', environments: { test: { namespace: attack } } });
`;

const APP = `import { defineApp } from 'kc/chart';
export default defineApp(() => undefined);
`;

const project = tempProject({ 'kc.config.ts': CONFIG, 'app.ts': APP });
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-config-code-'));
const { kc, killAll } = kcSpawner({ KC_CACHE_DIR: cacheDir });
const attacked = (attack: string, args: string[]) => kc(args, { env: { KC_TEST_CONFIG_ATTACK: attack } });

afterAll(() => {
  killAll();
  project.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('kc.config.ts on its own thread', () => {
  beforeAll(async () => {
    // Bundles the project file and the app once (esbuild), so the timings below are of kc's run alone.
    const run = await kc(['synth', project.dir, '--env', 'test'], { timeoutMs: 60_000 }).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 70_000);

  test('process.exit(0) in kc.config.ts is CONFIG_INVALID (exit 2), naming the call and where', async () => {
    const run = await attacked('exit', ['synth', project.dir]).done;
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [CONFIG_INVALID]: ');
    expect(run.stderr).toContain('kc.config.ts called process.exit(0)\n');
    expect(run.stderr).toMatch(/\n {2}at .*kc\.config\.ts:3:\d+\n/);
    expect(run.stderr).toContain('Hint: a project file must not end the process');
  }, 40_000);

  test('so it is where release commands read the environment (kc status --env)', async () => {
    const run = await attacked('exit', ['status', 'r', '--env', 'test', '--project', project.dir]).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('kc.config.ts called process.exit(0)\n');
  }, 40_000);

  test('process.kill(process.pid) in kc.config.ts does not signal kc: CONFIG_INVALID', async () => {
    const run = await attacked('kill', ['deploy', project.dir, '--env', 'test', '--dry-run=client']).done;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("kc.config.ts called process.kill(");
  }, 40_000);

  test('Ctrl-C stops a kc.config.ts that loops forever: kc ends within seconds, INTERRUPTED (exit 7)', async () => {
    const { child, done } = attacked('loop', ['synth', project.dir]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sent = Date.now();
    child.kill('SIGINT');
    const run = await done;
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/Error \[INTERRUPTED\]: interrupted by SIGINT while .*kc\.config\.ts was evaluated/);
  }, 40_000);

  test('a timer kc.config.ts leaves running does not keep kc synth from exiting', async () => {
    const run = await attacked('interval', ['synth', project.dir, '--env', 'test']).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(10_000); // the interval would keep it alive for ever
  }, 40_000);
});
