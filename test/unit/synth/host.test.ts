import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { createHost } from '../../../src/synth/host.js';
import { unknownValuesError } from '../../../src/synth/failure.js';
import type { ValuesLayer } from '../../../src/values/index.js';

const jsonSchema = z.toJSONSchema(z.object({ image: z.object({ tag: z.string().default('1') }).default({ tag: '1' }), port: z.number().default(80) }), { io: 'input' }) as Record<string, unknown>;
const noFiles = () => {
  throw new Error('no files here');
};

function resolve(layers: ValuesLayer[], keyedByRelease = false) {
  const { host, records } = createHost({ layers, keyedByRelease, readText: noFiles });
  host.resolveValues({ release: 'web', chart: { name: 'web', version: '1.0.0' }, jsonSchema, props: { image: { tga: 'x' } } });
  return records;
}

describe('createHost: values the chart does not declare', () => {
  test('are recorded with the layer that set them, app code included', () => {
    const records = resolve([{ label: 'values.yaml', values: { extra: { deep: 1 } } }, { label: '--set prot=81', sets: [{ kind: 'set', path: ['prot'], value: { type: 'scalar', text: '81' }, source: '--set prot=81' }] }]);
    expect(records.get('web')?.unknown).toEqual([
      { path: ['image', 'tga'], layer: 'app code', suggestion: 'tag' },
      { path: ['extra'], layer: 'values.yaml' },
      { path: ['prot'], layer: '--set prot=81', suggestion: 'port' },
    ]);
    const error = unknownValuesError({ records, keyedByRelease: false });
    expect(error?.code).toBe('VALUES_INVALID');
    expect(error?.details).toEqual([
      'image.tga: not a value of this chart; did you mean tag? (set by app code)',
      'extra: not a value of this chart (set by values.yaml)',
      'prot: not a value of this chart; did you mean port? (set by --set prot=<redacted>)',
    ]);
  });

  test('from a lenient layer (values reused from an earlier revision) are dropped without an error', () => {
    const { host, records } = createHost({ layers: [{ label: 'values of revision 1 (--reuse-values)', values: { removed: 'x', port: 81 }, lenient: true }], keyedByRelease: false, readText: noFiles });
    host.resolveValues({ release: 'web', chart: { name: 'web', version: '2.0.0' }, jsonSchema, props: {} });
    expect(records.get('web')?.unknown).toEqual([]);
    expect(unknownValuesError({ records, keyedByRelease: false })).toBeUndefined();
  });

  test('a key a lenient layer and a strict one both set is reported, named after the strict one', () => {
    const layers: ValuesLayer[] = [
      { label: 'values of revision 1 (--reuse-values)', values: { extra: { a: 1 } }, lenient: true },
      { label: '-f more.yaml', values: { extra: { b: 2 } } },
    ];
    const { host, records } = createHost({ layers, keyedByRelease: false, readText: noFiles });
    host.resolveValues({ release: 'web', chart: { name: 'web', version: '2.0.0' }, jsonSchema, props: {} });
    expect(records.get('web')?.unknown).toEqual([{ path: ['extra'], layer: '-f more.yaml' }]);
  });

  test('in project mode the path shown starts with the release', () => {
    const records = resolve([{ label: 'env prod', values: { web: { port: 1, prt: 2 } } }], true);
    expect(unknownValuesError({ records, keyedByRelease: true })?.details).toEqual([
      'web.image.tga: not a value of this chart; did you mean tag? (set by app code)',
      'web.prt: not a value of this chart; did you mean port? (set by env prod)',
    ]);
  });
});
