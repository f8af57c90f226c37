import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { saveBundle } from '../../../src/bundle/cache.js';
import { ChartWorker } from '../../../src/bundle/chart-worker.js';
import { hintedBundle, preloadHinted, rememberBundle } from '../../../src/bundle/preload-hint.js';
import { prestartChartWorker } from '../../../src/bundle/worker-prestart.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-preload-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A chart folder with one input file, bundled into a fresh cache as `code` (remembered for the folder). */
function setUp(name: string, code: string) {
  const cacheDir = path.join(root, name, 'cache');
  const chartDir = path.join(root, name, 'chart');
  fs.mkdirSync(chartDir, { recursive: true });
  const input = path.join(chartDir, 'index.ts');
  fs.writeFileSync(input, 'export {};\n');
  const bundle = { ...saveBundle(cacheDir, `key-${name}`, { code, map: '{}', inputs: [input], sourceRoot: root }) };
  rememberBundle(cacheDir, chartDir, { ...bundle, key: `key-${name}` });
  return { cacheDir, chartDir, input, bundle };
}

describe('the bundle a folder used last', () => {
  test('is found again while its inputs are unchanged, and not once one changed', () => {
    const { cacheDir, chartDir, input, bundle } = setUp('found', 'exports.x = 1;\n');
    expect(hintedBundle(cacheDir, chartDir)?.file).toBe(bundle.file);
    expect(hintedBundle(cacheDir, path.join(root, 'elsewhere'))).toBeUndefined();
    fs.writeFileSync(input, 'export const changed = true;\n');
    expect(hintedBundle(cacheDir, chartDir)).toBeUndefined();
  });

  test('is preloaded for the folder an argument names, not for the working folder or a release name', () => {
    const { cacheDir, chartDir, bundle } = setUp('named', 'exports.x = 1;\n');
    const posted: unknown[] = [];
    const worker = { postMessage: (m: unknown) => posted.push(m) };
    expect(preloadHinted(worker, ['my-release', 'chart', '-n', 'ns'], path.dirname(chartDir), cacheDir)).toBe(
      bundle.file,
    );
    expect(posted).toEqual([{ op: 'load', file: bundle.file, cacheFile: expect.stringContaining(bundle.file) }]);
    posted.length = 0;
    expect(preloadHinted(worker, ['my-release', path.join(root, 'named')], root, cacheDir)).toBeUndefined();
    expect(posted).toEqual([]); // a folder was named, and it has no hint: the working folder is not tried
  });

  test('is evaluated by the prestarted worker before any job; the job then uses it as loaded', async () => {
    const marker = path.join(root, 'evaluated.txt');
    const code =
      `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'x');\n` +
      'exports.describe = () => ({ chart: { name: "c", version: "1.0.0" }, jsonSchema: {} });\n';
    const { cacheDir, chartDir, bundle } = setUp('worker', code);
    expect(preloadHinted(prestartChartWorker(), [], chartDir, cacheDir)).toBe(bundle.file);
    for (let i = 0; i < 200 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readFileSync(marker, 'utf8')).toBe('x'); // evaluated with no job given yet
    const answer = await new ChartWorker({ cwd: chartDir }).describe(bundle);
    expect(answer).toEqual({ ok: true, description: { chart: { name: 'c', version: '1.0.0' }, jsonSchema: {} } });
    expect(fs.readFileSync(marker, 'utf8')).toBe('x'); // the job found it loaded
  });
});
