// `kc get manifest|hooks|notes|all|metadata|values -o json|yaml`: one document alone on stdout, the same data in both
// formats, Secret values redacted exactly where the text output redacts them, -o validated before the cluster is read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import type { NotesDocument, ObjectListDocument, RevisionDocument } from '../../cli/get-json.js';
import { jsonChartFiles, PASSWORD } from '../helpers/json-chart.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let chart: TempProject;
let session: ClusterSession;
let cacheDir: string;
let connects: number;

beforeEach(async () => {
  chart = tempProject(jsonChartFiles());
  const memory = memorySession();
  session = memory.s;
  await memory.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { fieldManager: 't' });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-get-json-cache-'));
  connects = 0;
  const install = ['install', 'r', chart.dir, '--set', `password=${PASSWORD}`, '--set', 'maps.a=x', '--no-wait'];
  expect((await kc(install)).code).toBe(0);
});
afterEach(() => {
  chart.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) =>
  runCli(args, {
    ctx: {
      connect: async () => {
        connects++;
        return session;
      },
      cacheDir,
    },
  });

const base64 = Buffer.from(PASSWORD).toString('base64');
const noSecret = (text: string) => {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(base64);
};

/** Runs with -o json and -o yaml: both exit 0 with nothing on stderr and parse to the same data. */
async function both<T>(args: string[]): Promise<{ doc: T; json: CliRun; yaml: CliRun }> {
  const json = await kc([...args, '-o', 'json']);
  const yaml = await kc([...args, '-o', 'yaml']);
  for (const run of [json, yaml]) {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  expect(yaml.stdout).not.toMatch(/^\s*[{[]/);
  const doc = JSON.parse(json.stdout) as T;
  expect(parse(yaml.stdout)).toEqual(doc);
  expect((await kc([...args, '-o', 'json'])).stdout).toBe(json.stdout); // deterministic
  return { doc, json, yaml };
}

const placeholder = /^\(redacted: hmac [0-9a-f]{8}, \d+ bytes\)$/;

describe('kc get -o json|yaml', () => {
  test('manifest: a List of the objects as the text shows them, Secret values redacted', async () => {
    const { doc, json, yaml } = await both<ObjectListDocument>(['get', 'manifest', 'r']);
    expect(doc.apiVersion).toBe('kc.dev/v1');
    expect(doc.kind).toBe('List');
    expect(doc.items.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Secret/r-secret', 'ConfigMap/r-a']);
    const secret = doc.items[0] as { stringData?: Record<string, string>; data?: Record<string, string> };
    expect(Object.values({ ...secret.data, ...secret.stringData })).toEqual([expect.stringMatching(placeholder)]);
    noSecret(json.stdout + yaml.stdout);
    // The text's documents are the List's items (the placeholder's hmac is the same within one process).
    const text = await kc(['get', 'manifest', 'r']);
    expect(parseAllDocuments(text.stdout).map((d) => d.toJS())).toEqual(doc.items);

    const shown = await kc(['get', 'manifest', 'r', '--show-secrets', '-o', 'json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`${PASSWORD}|${base64}`));
    expect((await kc(['get', 'manifest', 'r', '--show-secrets'])).stdout).toMatch(new RegExp(`${PASSWORD}|${base64}`));
  });

  test('hooks: a List of the hook objects, redacted; metadata and values keep their shape', async () => {
    const { doc, json } = await both<ObjectListDocument>(['get', 'hooks', 'r']);
    expect(doc).toMatchObject({ apiVersion: 'kc.dev/v1', kind: 'List' });
    expect(doc.items.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Secret/r-hook']);
    noSecret(json.stdout);
    expect((await kc(['get', 'hooks', 'r', '--show-secrets', '-o', 'yaml'])).stdout).toMatch(
      new RegExp(`${PASSWORD}|${base64}`),
    );

    const { doc: meta } = await both<Record<string, unknown>>(['get', 'metadata', 'r']);
    expect(meta).toMatchObject({ name: 'r', namespace: 'ns', revision: 1, status: 'deployed', chart: 'maps' });
    const { doc: values, json: valuesJson } = await both<Record<string, unknown>>(['get', 'values', 'r']);
    expect(values.maps).toEqual({ a: 'x' });
    expect(values.password).not.toBe(PASSWORD);
    noSecret(valuesJson.stdout);
    expect((await kc(['get', 'values', 'r'])).stdout).toBe((await kc(['get', 'values', 'r', '-o', 'yaml'])).stdout);
  });

  test('notes: a Notes document; all: a Revision with every part, redacted as the text is', async () => {
    const { doc: notes } = await both<NotesDocument>(['get', 'notes', 'r']);
    expect(notes).toEqual({
      apiVersion: 'kc.dev/v1',
      kind: 'Notes',
      release: 'r',
      namespace: 'ns',
      revision: 1,
      notes: 'Release r is ready.',
    });

    const { doc, json, yaml } = await both<RevisionDocument>(['get', 'all', 'r']);
    expect(doc).toMatchObject({ apiVersion: 'kc.dev/v1', kind: 'Revision', notes: 'Release r is ready.' });
    expect(doc.metadata).toMatchObject({ name: 'r', revision: 1, chart: 'maps', version: '1.2.3' });
    expect(doc.values.maps).toEqual({ a: 'x' });
    expect(doc.manifest.map((o) => o.metadata?.name)).toEqual(['r-secret', 'r-a']);
    expect(doc.hooks.map((o) => o.metadata?.name)).toEqual(['r-hook']);
    noSecret(json.stdout + yaml.stdout);
    noSecret((await kc(['get', 'all', 'r'])).stdout);

    const shown = await kc(['get', 'all', 'r', '--show-secrets', '-o', 'json']);
    expect(shown.stdout).toContain(PASSWORD); // the values, as the text's USER-SUPPLIED VALUES shows them
    expect((await kc(['get', 'all', 'r', '--show-secrets'])).stdout).toContain(PASSWORD);
  });

  test.each(['manifest', 'hooks', 'notes', 'all', 'metadata', 'values'])(
    'get %s -o xml is USAGE (2), nothing on stdout, before the cluster is read',
    async (what) => {
      const before = connects;
      const run = await kc(['get', what, 'r', '-o', 'xml']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Error [USAGE]: -o xml: unknown output format');
      expect(connects).toBe(before);
    },
  );

  test('a missing release prints nothing on stdout, the error on stderr', async () => {
    const run = await kc(['get', 'manifest', 'nope', '-o', 'json']);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [RELEASE_NOT_FOUND]');
  });
});
