// The mapping from what `kc diff` computes to the documented kind Diff document, field by field: the parts a fake
// cluster does not produce (immutable fields, conflicts, drift, a moved chart, objects left) included.
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { DiffResult } from '../../src/actions/diff.js';
import { diffPlan } from '../../src/diff/index.js';
import { diffDocument } from '../../cli/diff-json.js';
import { formatData } from '../../cli/output.js';

const cm = (name: string, v: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data: { v },
});
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'ns' });

const summary = diffPlan([
  { live: cm('same', '1'), desired: cm('same', '1') },
  { live: cm('conflict', '1'), desired: cm('conflict', '2'), conflicts: ['.data.v: owned by helm'] },
  { live: cm('frozen', '1'), desired: cm('frozen', '1'), immutable: { replace: true, details: ['data: Forbidden'] } },
  {
    live: cm('refused', '1'),
    desired: cm('refused', '2'),
    immutable: { replace: false, details: ['data: Forbidden'], refusal: 'needs --force-replace' },
  },
  { desired: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'made' } } },
  { live: cm('gone', '1') },
]);

const result: DiffResult = {
  releases: [
    {
      release: 'r',
      namespace: 'ns',
      summary,
      drifted: 3,
      left: [{ ref: ref('theirs'), reason: 'owned by release ns/other' }],
      chartMoved: { source: 'oci://h/c:1', deployed: 'sha256:a', now: 'sha256:b' },
    },
    { release: 'old', namespace: 'ns', summary: diffPlan([]), removed: true },
  ],
  hasChanges: true,
};

describe('diffDocument', () => {
  test('each object: ref, change, replace, immutable, conflicts and its unified diff', () => {
    const doc = diffDocument(result);
    expect(doc.apiVersion).toBe('kc.dev/v1');
    expect(doc.kind).toBe('Diff');
    expect(doc.hasChanges).toBe(true);
    const [r, old] = doc.releases;
    expect(r.objects.map((o) => [o.name, o.change, o.replace, o.immutable?.replace, o.conflicts])).toEqual([
      ['same', 'unchanged', undefined, undefined, undefined],
      ['conflict', 'changed', undefined, undefined, ['.data.v: owned by helm']],
      ['frozen', 'changed', true, true, undefined],
      ['refused', 'changed', undefined, false, undefined],
      ['made', 'added', undefined, undefined, undefined],
      ['gone', 'removed', undefined, undefined, undefined],
    ]);
    expect(r.objects[3].immutable).toEqual({
      replace: false,
      details: ['data: Forbidden'],
      refusal: 'needs --force-replace',
    });
    expect(r.objects[4]).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', name: 'made', namespace: undefined });
    expect(r.objects[0].diff).toBe('');
    expect(r.objects[1].diff).toContain('-  v: "1"');
    expect(r.objects[1].diff).toContain('+  v: "2"');
    expect(r.counts).toEqual({ added: 1, changed: 3, removed: 1, unchanged: 1, replaced: 1 });
    expect(r).toMatchObject({ release: 'r', namespace: 'ns', drifted: 3, hasChanges: true, removed: undefined });
    expect(r.chartMoved).toEqual({ source: 'oci://h/c:1', deployed: 'sha256:a', now: 'sha256:b' });
    expect(r.left).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'theirs', namespace: 'ns', reason: 'owned by release ns/other' },
    ]);
    // A release dropped from the app changes something even with no live objects left.
    expect(old).toMatchObject({ release: 'old', removed: true, hasChanges: true, objects: [], left: [] });
  });

  test('JSON and YAML print the same data; absent fields are left out', () => {
    const doc = diffDocument(result);
    const json = formatData('json', doc, () => '');
    expect(parse(formatData('yaml', doc, () => ''))).toEqual(JSON.parse(json));
    expect(json).not.toContain('"refusal": null');
    expect(JSON.parse(json).releases[1]).not.toHaveProperty('drifted');
  });
});
