// Control characters, ANSI escape sequences and bidi controls in input never reach the terminal raw: kc shows them
// escaped (\x1b, \u{202e}) in errors, tables and the other lines it prints (cli/terminal-safe.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';
import { CLOSED_PORT_KUBECONFIG } from '../helpers/closed-port-kubeconfig.js';

const TEMPLATE = ['template', 'r', 'charts/mysql', '--set', 'rootPassword=x'];

// Any C0 control but the line feeds between lines, DEL, C1, or a bidi control.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let dir: TempProject;
let kubeconfig: string;
beforeAll(() => {
  dir = tempProject({
    'bidi.yaml': '"ro\u202etPassword": x\n',
    'chart/index.ts': CONFIG_CHART,
    'chart/README.md': '# Maps\n\n\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\tand \u202ereadme\n',
  });
  // A cluster nobody listens on: nothing below gets as far as contacting it.
  kubeconfig = path.join(dir.dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, CLOSED_PORT_KUBECONFIG);
});
afterAll(() => dir.remove());

describe('errors quoting input show it escaped', () => {
  test.each([
    ['a release name', ['install', 'evil\x1b[31m', 'charts/mysql', '--kubeconfig', 'KUBECONFIG'], '"evil\\x1b[31m"'],
    ['a values file key', [...TEMPLATE, '-f', 'BIDI'], 'ro\\u{202e}tPassword: not a value'],
    ['a --set key', [...TEMPLATE, '--set', 'a\x1b]0;pwned\x07=1'], 'a\\x1b]0;pwned\\x07'],
    ['a file path', ['template', 'r', 'charts/mysql', '-f', 'gone\x1b[2J\u2066.yaml'], 'gone\\x1b[2J\\u{2066}.yaml'],
    ['a chart path', ['template', 'r', 'charts/no\u202epe\x9b'], 'charts/no\\u{202e}pe\\x9b'],
    ['a repository name', ['repo', 'remove', 'r\x1b[1m'], '"r\\x1b[1m"'],
    ['an unknown flag', ['list', '--colour\u202e'], "'--colour\\u{202e}'"],
  ])('%s', async (_what, args, shown) => {
    const files: Record<string, string> = { BIDI: path.join(dir.dir, 'bidi.yaml'), KUBECONFIG: kubeconfig };
    const argv = args.map((a) => files[a] ?? a);
    const run = await runCli(argv);
    expect(run.stderr).toMatch(/^Error \[[A-Z_]+\]: /);
    expect(run.stderr).toContain(shown);
    expect(run.stderr).not.toMatch(RAW);
    expect(run.stdout).toBe('');
    expect(run.code).toBeGreaterThan(1);
  });
});

test('--debug shows values and the --set text that set them escaped', async () => {
  const run = await runCli([...TEMPLATE, '--set', 'image.tag=v1\u202e\x1b[2J', '--debug']);
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('  tag: "v1\\u202e\\e[2J" # --set image.tag=v1\\u{202e}\\x1b[2J\n');
  expect(run.stderr).not.toMatch(RAW);
});

test('kc show readme shows a README\'s escape sequences escaped, keeping its lines and tabs', async () => {
  const run = await runCli(['show', 'readme', path.join(dir.dir, 'chart')]);
  expect(run.stdout).toBe('# Maps\n\n\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07\tand \\u{202e}readme\n');
  expect(run.code).toBe(0);
});

test('kc synth --output-dir names the files it wrote escaped', async () => {
  const out = path.join(dir.dir, 'out\x1b[1m\u202e');
  const run = await runCli(['synth', 'charts/mysql', '--set', 'rootPassword=x', '--output-dir', out]);
  expect(run.stderr).toBe(`wrote ${path.join(dir.dir, 'out\\x1b[1m\\u{202e}', 'mysql.yaml')}\n`);
  expect(run.code).toBe(0);
});

describe('tables and summaries show a hostile description escaped', () => {
  let session: ClusterSession;
  let cacheDir: string;
  const description = 'fix\x1b[2J\x1b[H\u202ecod';
  const shown = 'fix\\x1b[2J\\x1b[H\\u{202e}cod';
  const kc = (args: string[]) => runCli(args, { ctx: { connect: async () => session, cacheDir } });

  beforeAll(async () => {
    const memory = memorySession();
    session = memory.s;
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } };
    await memory.client.apply(namespace, { fieldManager: 'test' });
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-hostile-cache-'));
  });
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  test('install prints it escaped; history, list and status show it escaped in their tables', async () => {
    const chart = path.join(dir.dir, 'chart');
    const install = await kc(['install', 'r', chart, '--set', 'maps.a.k=v\u2067', '--description', description]);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(`r: ${shown}\n`);
    for (const args of [['history', 'r'], ['list'], ['status', 'r']]) {
      const run = await kc(args);
      expect(run.stdout).not.toMatch(RAW);
      if (args[0] !== 'list') expect(run.stdout).toContain(shown);
    }
  });

  test('kc get values and get all show a hostile value escaped', async () => {
    const yaml = await kc(['get', 'values', 'r']);
    expect(yaml.stdout).toContain('k: "v\\u2067"');
    const json = await kc(['get', 'values', 'r', '-o', 'json']);
    expect(json.stdout).toContain('"k": "v\\u2067"');
    const all = await kc(['get', 'all', 'r']);
    expect(all.stdout).toContain(`DESCRIPTION: ${shown}\n`);
    expect(all.stdout).toContain('k: "v\\u2067"');
    // The manifest part is the stored YAML as src/synth/yaml.ts wrote it; what the CLI writes itself is checked.
    for (const text of [yaml.stdout, json.stdout, all.stdout.split('MANIFEST:')[0]]) expect(text).not.toMatch(RAW);
  });

  test('-o json and -o yaml escape it too, and still parse to the description', async () => {
    const json = await kc(['history', 'r', '-o', 'json']);
    expect(json.stdout).toContain('fix\\u001b[2J\\u001b[H\\u202ecod');
    expect(json.stdout).not.toMatch(RAW);
    expect((JSON.parse(json.stdout) as { description: string }[])[0].description).toBe(description);
    const yaml = await kc(['history', 'r', '-o', 'yaml']);
    expect(yaml.stdout).toContain('"fix\\e[2J\\e[H\\u202ecod"');
    expect(yaml.stdout).not.toMatch(RAW);
  });
});
