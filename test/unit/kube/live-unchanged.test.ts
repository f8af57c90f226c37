// src/kube/live-unchanged.ts: which objects of an upgrade need not be sent again, and that drift is never skipped.
import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { candidatesOf, liveUnchanged, onlyKcApplied, ownershipAndUnchanged } from '../../../src/kube/live-unchanged.js';
import { refOf, type KubeObject } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const RELEASE = 'ns/app';
const kcApply = { manager: 'kc', operation: 'Apply', apiVersion: 'v1' };
const live = (managedFields: object[], extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns', annotations: { 'kc.dev/release': RELEASE }, managedFields, ...extra },
});

describe('onlyKcApplied', () => {
  test('true when kc\'s apply is the only writer outside the status', () => {
    expect(onlyKcApplied(live([kcApply]), RELEASE)).toBe(true);
    expect(onlyKcApplied(live([kcApply, { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status' }]), RELEASE)).toBe(true);
  });

  test('false after any other writer, for another release, or while deleting', () => {
    expect(onlyKcApplied(live([kcApply, { manager: 'kubectl-edit', operation: 'Update' }]), RELEASE)).toBe(false);
    expect(onlyKcApplied(live([kcApply, { manager: 'other', operation: 'Apply' }]), RELEASE)).toBe(false);
    expect(onlyKcApplied(live([{ manager: 'kc', operation: 'Update' }]), RELEASE)).toBe(false);
    expect(onlyKcApplied(live([]), RELEASE)).toBe(false);
    expect(onlyKcApplied(live([kcApply]), 'ns/other')).toBe(false);
    expect(onlyKcApplied(live([kcApply], { deletionTimestamp: '2026-12-02T00:00:00Z' }), RELEASE)).toBe(false);
  });
});

describe('liveUnchanged', () => {
  const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });
  const secret = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { t: 'eA==' } });
  const placedOf = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: 'ns', annotations: { 'kc.dev/release': RELEASE } } });

  async function deployed(objects: KubeObject[]) {
    const client = new FakeKube();
    client.managedFields = true;
    const placed = objects.map(placedOf);
    for (const o of placed) await client.apply(o, { fieldManager: 'kc' });
    client.calls.length = 0;
    return { client, previous: { objects, inventory: placed.map(refOf) } };
  }
  const maps = (first: string) => [cm('c0', first), ...[1, 2, 3, 4, 5].map((i) => cm(`c${i}`, 'x')), secret('s0'), secret('s1')];

  test('objects rendered as before and untouched since are found with one LIST per kind; small groups are applied', async () => {
    const { client, previous } = await deployed(maps('old'));
    const rendered = maps('new');
    const found = await liveUnchanged(client, rendered, rendered.map(placedOf), previous, RELEASE);
    expect([...found.values()].map((o) => o.metadata?.name).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(client.calls).toEqual(['list ConfigMap']); // two Secrets: two applies cost less than a LIST
  });

  test('an object changed outside kc, or gone, is not among them', async () => {
    const { client, previous } = await deployed(maps('same'));
    await client.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c1', namespace: 'ns' }, { metadata: { managedFields: [kcApply, { manager: 'kubectl-edit', operation: 'Update' }] }, data: { v: 'edited' } });
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c2', namespace: 'ns' });
    const rendered = maps('same');
    const found = await liveUnchanged(client, rendered, rendered.map(placedOf), previous, RELEASE);
    expect([...found.keys()].map((k) => k.split('/').pop()).sort()).toEqual(['c0', 'c3', 'c4', 'c5']);
  });

  test('an object kc alone wrote but no longer owns in full (a field removed outside kc) is not among them', async () => {
    const { client, previous } = await deployed(maps('same'));
    // What `kubectl label`/a JSON patch removing kc's field leaves: the field gone from the object and kc's set.
    const key = '/ConfigMap/ns/c3';
    const c3 = client.objects.get(key)!;
    client.objects.set(key, { ...c3, data: {}, metadata: { ...c3.metadata, managedFields: [{ ...kcApply, fieldsV1: {} }] } });
    const rendered = maps('same');
    const found = await liveUnchanged(client, rendered, rendered.map(placedOf), previous, RELEASE);
    expect([...found.keys()].map((k) => k.split('/').pop()).sort()).toEqual(['c0', 'c1', 'c2', 'c4', 'c5']);
  });

  test('a LIST that fails, or a deployed revision that does not line up, only means everything is applied', async () => {
    const { client, previous } = await deployed(maps('same'));
    const rendered = maps('same');
    client.list = async () => {
      throw new KcError('FORBIDDEN', 'cannot list configmaps');
    };
    expect((await liveUnchanged(client, rendered, rendered.map(placedOf), previous, RELEASE)).size).toBe(0);
    expect((await liveUnchanged(new FakeKube(), rendered, rendered.map(placedOf), { ...previous, inventory: previous.inventory.slice(1) }, RELEASE)).size).toBe(0);
  });
});

describe('ownershipAndUnchanged', () => {
  const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });
  const placedOf = (o: KubeObject, release = RELEASE): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: 'ns', annotations: { 'kc.dev/release': release } } });
  const maps = (first: string) => [cm('c0', first), ...[1, 2, 3, 4, 5].map((i) => cm(`c${i}`, 'x'))];
  const options = { release: RELEASE, namespace: 'ns', clock: { now: () => new Date(0), sleep: async () => undefined } };

  async function deployed(objects: KubeObject[], release = RELEASE) {
    const client = new FakeKube();
    client.managedFields = true;
    for (const o of objects) await client.apply(placedOf(o, release), { fieldManager: 'kc' });
    client.calls.length = 0;
    return { client, previous: { objects, inventory: objects.map((o) => refOf(placedOf(o))) } };
  }

  test('one LIST per kind answers both who owns the objects and which need no apply', async () => {
    const { client, previous } = await deployed(maps('old'));
    const rendered = maps('new');
    const placed = rendered.map((o) => placedOf(o));
    const { ownership, unchanged } = ownershipAndUnchanged(client, placed, candidatesOf(rendered, placed, previous), options);
    await expect(ownership).resolves.toBeUndefined();
    expect([...(await unchanged).values()].map((o) => o.metadata?.name).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(client.calls).toEqual(['list ConfigMap']); // checkOwnership and liveUnchanged apart: two
  });

  test("objects of another release are refused, and are none of this one's unchanged", async () => {
    const { client, previous } = await deployed(maps('x'), 'ns/other');
    const placed = maps('x').map((o) => placedOf(o));
    const { ownership, unchanged } = ownershipAndUnchanged(client, placed, candidatesOf(maps('x'), placed, previous), options);
    await expect(ownership).rejects.toMatchObject({ code: 'RESOURCE_NOT_OWNED', message: expect.stringContaining('belongs to release ns/other') });
    expect((await unchanged).size).toBe(0);
  });

  test('a read that fails fails the ownership check; nothing is taken as unchanged', async () => {
    const { client, previous } = await deployed(maps('x'));
    client.list = async () => {
      throw new KcError('FORBIDDEN', 'cannot list configmaps');
    };
    const placed = maps('x').map((o) => placedOf(o));
    const { ownership, unchanged } = ownershipAndUnchanged(client, placed, candidatesOf(maps('x'), placed, previous), options);
    await expect(ownership).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await unchanged).size).toBe(0);
  });
});
