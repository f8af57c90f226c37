// `kc diff -o json|yaml`: a kind Diff document alone on stdout with each object's change and the unified diff the text
// prints (Secret values redacted the same way), the same data in both formats, --exit-code's exit code unchanged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import type { DiffDocument } from '../../cli/diff-json.js';
import type { FakeKube } from '../helpers/fake-kube.js';
import { JSON_CHART, PASSWORD } from '../helpers/json-chart.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

const NEW_PASSWORD = 'correct-horse-battery';

let chart: TempProject;
let session: ClusterSession;
let client: FakeKube;
let cacheDir: string;

beforeEach(async () => {
  chart = tempProject({ 'index.ts': JSON_CHART });
  ({ s: session, client } = memorySession());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { fieldManager: 't' });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-diff-json-cache-'));
});
afterEach(() => {
  chart.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) => runCli(args, { ctx: { connect: async () => session, cacheDir } });
const set = (password: string, ...maps: string[]) => [
  '--set',
  `password=${password}`,
  ...maps.flatMap((m) => ['--set', `maps.${m}=${m}-value`]),
];
const install = async () =>
  expect((await kc(['install', 'r', chart.dir, ...set(PASSWORD, 'a'), '--no-wait'])).code).toBe(0);

function noSecret(text: string): void {
  for (const p of [PASSWORD, NEW_PASSWORD]) {
    expect(text).not.toContain(p);
    expect(text).not.toContain(Buffer.from(p).toString('base64'));
  }
}

describe('kc diff -o json|yaml', () => {
  test('each object with its change and the diff the text shows; Secret values redacted; yaml is the same data', async () => {
    await install();
    const args = ['diff', 'r', chart.dir, ...set(NEW_PASSWORD, 'b')];
    const json = await kc([...args, '-o', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    noSecret(json.stdout);
    const doc = JSON.parse(json.stdout) as DiffDocument;
    expect(doc).toMatchObject({ apiVersion: 'kc.dev/v1', kind: 'Diff', hasChanges: true });
    expect(doc.releases).toHaveLength(1);
    const [r] = doc.releases;
    expect(r).toMatchObject({ release: 'r', namespace: 'ns', hasChanges: true });
    expect(r.counts).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 0, replaced: 0 });
    expect(r.objects.map((o) => [o.change, `${o.kind}/${o.name}`, o.namespace])).toEqual([
      ['changed', 'Secret/r-secret', 'ns'],
      ['added', 'ConfigMap/r-b', 'ns'],
      ['removed', 'ConfigMap/r-a', 'ns'],
    ]);
    expect(r.objects[0].diff).toMatch(/\(redacted: hmac [0-9a-f]{8}, \d+ bytes\)/);
    expect(r.objects[1].diff).toContain('+  v: b-value');
    expect(r.left).toEqual([]);

    // The text prints each object's diff (same run key, so the same placeholders): the lines agree.
    const text = await kc(args);
    expect(text.code).toBe(0);
    for (const o of r.objects)
      for (const line of o.diff.split('\n').filter(Boolean)) expect(text.stdout).toContain(line);

    const yaml = await kc([...args, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).not.toMatch(/^\s*[{[]/);
    expect(parse(yaml.stdout)).toEqual(doc);
    expect((await kc([...args, '-o', 'json'])).stdout).toBe(json.stdout); // deterministic
    expect(client.objects.has('/ConfigMap/ns/r-b')).toBe(false); // nothing applied

    const shown = await kc([...args, '--show-secrets', '-o', 'json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(Buffer.from(NEW_PASSWORD).toString('base64'));
  });

  test('unchanged objects are listed as unchanged; no changes is hasChanges: false', async () => {
    await install();
    const run = await kc(['diff', 'r', chart.dir, ...set(PASSWORD, 'a'), '-o', 'yaml']);
    expect(run.code).toBe(0);
    const doc = parse(run.stdout) as DiffDocument;
    expect(doc.hasChanges).toBe(false);
    expect(doc.releases[0].hasChanges).toBe(false);
    expect(doc.releases[0].objects.map((o) => [o.change, o.name, o.diff])).toEqual([
      ['unchanged', 'r-secret', ''],
      ['unchanged', 'r-a', ''],
    ]);
  });

  test('--exit-code keeps its exit code with -o: 20 with changes, 0 without; the document still printed', async () => {
    await install();
    const changed = await kc(['diff', 'r', chart.dir, ...set(PASSWORD, 'b'), '--exit-code', '-o', 'json']);
    expect(changed.code).toBe(20);
    expect(changed.stderr).toBe('');
    expect((JSON.parse(changed.stdout) as DiffDocument).hasChanges).toBe(true);
    const same = await kc(['diff', 'r', chart.dir, ...set(PASSWORD, 'a'), '--exit-code', '-o', 'yaml']);
    expect(same.code).toBe(0);
    expect((parse(same.stdout) as DiffDocument).hasChanges).toBe(false);
    // A release not installed yet: everything is added.
    const fresh = await kc(['diff', 'q', chart.dir, ...set(PASSWORD), '--exit-code', '-o', 'json']);
    expect(fresh.code).toBe(20);
    const doc = JSON.parse(fresh.stdout) as DiffDocument;
    expect(doc.releases[0].objects.map((o) => o.change)).toEqual(['added']);
    noSecret(fresh.stdout);
  });

  test('-o xml is USAGE (2) before anything is read; a failed diff prints nothing on stdout', async () => {
    let connected = false;
    const run = await runCli(['diff', 'r', chart.dir, '-o', 'xml'], {
      ctx: {
        connect: async () => {
          connected = true;
          return session;
        },
        cacheDir,
      },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [USAGE]: -o xml: unknown output format');
    expect(connected).toBe(false);

    const invalid = await kc(['diff', 'r', chart.dir, '--set', 'port=nope', ...set(PASSWORD), '-o', 'json']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('Error [');
  });
});

describe('kc diff PROJECT -o json', () => {
  let project: TempProject;
  const app = (ids: string[]) => `import { defineApp } from 'kc/chart';
import { Maps } from './chart.js';
export default defineApp((app) => {
${ids.map((id) => `  new Maps(app, '${id}', { password: 'p-${id}' });`).join('\n')}
});
`;
  beforeEach(() => {
    project = tempProject({
      'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { test: { namespace: 'ns' } } });
`,
      'chart.ts': JSON_CHART,
      'app.ts': app(['one', 'two']),
    });
  });
  afterEach(() => project.remove());

  test('a release dropped from the app is removed: true, its objects removed', async () => {
    expect((await kc(['deploy', project.dir, '--env', 'test', '--no-wait'])).code).toBe(0);
    project.write({ 'app.ts': app(['one']) });
    const run = await kc(['diff', project.dir, '--env', 'test', '-o', 'json', '--exit-code']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(20);
    const doc = JSON.parse(run.stdout) as DiffDocument;
    expect(doc.releases.map((r) => [r.release, r.removed, r.hasChanges])).toEqual([
      ['one', undefined, false],
      ['two', true, true],
    ]);
    expect(doc.releases[1].objects.map((o) => `${o.change} ${o.kind}/${o.name}`)).toEqual([
      'removed Secret/two-secret',
    ]);
  });
});
