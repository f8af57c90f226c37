// `kc show values|chart|schema|readme|all -o json|yaml`: the data alone on stdout (values, chart and schema plain, as
// `kc get values -o` prints; readme and all as kc.dev/v1 documents), the same data in both formats.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import type { ChartDocument, ReadmeDocument } from '../../cli/show-json.js';
import { jsonChartFiles, JSON_CHART, JSON_CHART_README } from '../helpers/json-chart.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let chart: TempProject;
let bare: TempProject;
let cacheDir: string;

beforeAll(() => {
  chart = tempProject(jsonChartFiles());
  bare = tempProject({ 'index.ts': JSON_CHART });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-show-json-cache-'));
});
afterAll(() => {
  chart.remove();
  bare.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) => runCli(args, { ctx: { cacheDir } });

/** Runs with -o json and -o yaml: both exit 0 with nothing on stderr and parse to the same data. */
async function both<T>(args: string[]): Promise<{ doc: T; json: CliRun }> {
  const json = await kc([...args, '-o', 'json']);
  const yaml = await kc([...args, '-o', 'yaml']);
  for (const run of [json, yaml]) {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  expect(yaml.stdout).not.toMatch(/^\s*[{[]/);
  const doc = JSON.parse(json.stdout) as T;
  expect(parse(yaml.stdout)).toEqual(doc);
  return { doc, json };
}

const CHART_INFO = { name: 'maps', version: '1.2.3', appVersion: '9.9', description: 'Maps for tests' };

describe('kc show -o json|yaml', () => {
  test('values: the defaults as data, what the commented text holds', async () => {
    const { doc } = await both<Record<string, unknown>>(['show', 'values', chart.dir]);
    expect(doc).toEqual({ maps: {}, port: 8080 });
    const text = await kc(['show', 'values', chart.dir]);
    expect(text.stdout).toContain('# Required, no default');
    expect(parse(text.stdout)).toEqual(doc);
  });

  test('chart: the metadata, as the text; schema: the text as data, in the draft asked for', async () => {
    const { doc } = await both<Record<string, unknown>>(['show', 'chart', chart.dir]);
    expect(doc).toEqual(CHART_INFO);
    expect(parse((await kc(['show', 'chart', chart.dir])).stdout)).toEqual(doc);

    const { doc: schema, json } = await both<Record<string, unknown>>(['show', 'schema', chart.dir]);
    expect(json.stdout).toBe((await kc(['show', 'schema', chart.dir])).stdout);
    expect(schema).toMatchObject({ type: 'object', required: ['password'] });
    const { doc: draft07 } = await both<Record<string, unknown>>(['show', 'schema', chart.dir, '--draft', '07']);
    expect(draft07).toEqual(JSON.parse((await kc(['show', 'schema', chart.dir, '--draft', '07'])).stdout));
    expect(draft07).not.toEqual(schema);
  });

  test('readme: a Readme document; without a README the field is absent', async () => {
    const { doc } = await both<ReadmeDocument>(['show', 'readme', chart.dir]);
    expect(doc).toEqual({ apiVersion: 'kc.dev/v1', kind: 'Readme', chart: CHART_INFO, readme: JSON_CHART_README });
    const { doc: none } = await both<ReadmeDocument>(['show', 'readme', bare.dir]);
    expect(none).toEqual({ apiVersion: 'kc.dev/v1', kind: 'Readme', chart: CHART_INFO });
  });

  test('all: a Chart document with every part; the text is the parts as YAML documents and the README', async () => {
    const { doc } = await both<ChartDocument>(['show', 'all', chart.dir]);
    const schema = JSON.parse((await kc(['show', 'schema', chart.dir])).stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      apiVersion: 'kc.dev/v1',
      kind: 'Chart',
      chart: CHART_INFO,
      values: { maps: {}, port: 8080 },
      schema,
      readme: JSON_CHART_README,
    });
    const text = await kc(['show', 'all', chart.dir]);
    expect(text.code).toBe(0);
    const parts = text.stdout.split('---\n');
    expect(parts).toHaveLength(3);
    expect(parse(parts[0])).toEqual(CHART_INFO);
    expect(parseAllDocuments(parts[1]).map((d) => d.toJS())).toEqual([{ maps: {}, port: 8080 }]);
    expect(parts[2]).toBe(JSON_CHART_README);
    expect((await kc(['show', 'all', bare.dir])).stdout).toMatch(/---\n\(this chart has no README\.md\)\n$/);
  });

  test.each(['values', 'chart', 'schema', 'readme', 'all'])(
    'show %s -o xml is USAGE (2), nothing on stdout',
    async (what) => {
      const run = await kc(['show', what, chart.dir, '-o', 'xml']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Error [USAGE]: -o xml: unknown output format');
    },
  );
});
