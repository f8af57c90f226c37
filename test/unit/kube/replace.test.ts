import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { applyStaged } from '../../../src/kube/apply.js';
import { RELEASE_ANNOTATION } from '../../../src/kube/constants.js';
import {
  FORCE_REPLACE_ANNOTATION, applyReplacing, immutableChange, immutableRefusal,
} from '../../../src/kube/replace.js';
import { refKey, refOf, type KubeObject, type ObjectRef } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';
import { fakeClock } from '../../helpers/fake-clock.js';


const RELEASE = 'ns/app';

function sts(size: string, options: { release?: string; annotate?: boolean } = {}): KubeObject {
  const annotations: Record<string, string> = {};
  if (options.release !== undefined) annotations[RELEASE_ANNOTATION] = options.release;
  if (options.annotate) annotations[FORCE_REPLACE_ANNOTATION] = 'true';
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'ns', annotations },
    spec: {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }],
    },
  };
}

const sizeOf = (o: KubeObject | undefined): unknown =>
  (o?.spec as { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] })
    .volumeClaimTemplates[0].spec.resources.requests.storage;

/** A FakeKube holding `live` (applied by kc unless `manager` says otherwise) that refuses changes of the size. */
async function clusterWith(live: KubeObject, manager = 'kc'): Promise<FakeKube> {
  const client = new FakeKube();
  await client.apply(live, { fieldManager: manager });
  client.immutable = (sent, current) => sizeOf(sent) !== sizeOf(current);
  client.calls.length = 0;
  return client;
}

const send = (client: FakeKube) => (o: KubeObject) => client.apply(o, { fieldManager: 'kc' });
const key = refKey(refOf(sts('1Gi')));

describe('applyReplacing', () => {
  test('an accepted apply is just that: nothing read, probed or deleted', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const replaced: ObjectRef[] = [];
    const out = await applyReplacing(client, sts('1Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock: fakeClock(), replaced,
    });
    expect(sizeOf(out)).toBe('1Gi');
    expect(client.calls).toEqual(['apply StatefulSet/db']);
    expect(replaced).toEqual([]);
  });

  test('without --force-replace or the annotation: FIELD_IMMUTABLE naming both, the object untouched', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const before = client.objects.get(key);
    const err = await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KcError);
    expect(err).toMatchObject({ code: 'FIELD_IMMUTABLE', exitCode: 6 });
    expect((err as KcError).message).toBe(
      'StatefulSet/ns/db: an immutable field changed, the API server refuses the update',
    );
    expect((err as KcError).details[0]).toContain('Forbidden');
    expect((err as KcError).hint).toContain('--force-replace');
    expect((err as KcError).hint).toContain('kc.dev/force-replace: "true"');
    expect(client.objects.get(key)).toBe(before);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  test('with --force-replace: deleted in the foreground with preconditions, created anew with the field', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const old = client.objects.get(key)!;
    const deletes: unknown[] = [];
    const realDelete = client.delete.bind(client);
    client.delete = async (ref, options) => {
      deletes.push(options);
      return realDelete(ref, options);
    };
    const replaced: ObjectRef[] = [];
    const out = await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock: fakeClock(), replaced,
    });
    expect(sizeOf(out)).toBe('2Gi');
    expect(sizeOf(client.objects.get(key))).toBe('2Gi');
    expect(replaced).toEqual([refOf(sts('1Gi'))]);
    expect(deletes).toEqual([
      { propagation: 'Foreground', preconditions: { uid: undefined, resourceVersion: old.metadata?.resourceVersion } },
    ]);
    expect(client.calls).toEqual([
      'apply StatefulSet/db', // refused as immutable
      'create StatefulSet/db (dry run)', // would it be accepted as new? ALREADY_EXISTS says yes
      'get StatefulSet/db', // deleteOwned judges the live object
      'delete StatefulSet/db',
      'get StatefulSet/db', // gone
      'apply StatefulSet/db',
    ]);
  });

  test('the annotation opts one object in without the flag', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const replaced: ObjectRef[] = [];
    const out = await applyReplacing(client, sts('2Gi', { release: RELEASE, annotate: true }), send(client), {
      release: RELEASE, clock: fakeClock(), replaced,
    });
    expect(sizeOf(out)).toBe('2Gi');
    expect(replaced.map((r) => r.name)).toEqual(['db']);
  });

  test.each([
    ['another release', sts('1Gi', { release: 'ns/other' }), 'kc', 'owned by release ns/other'],
    ['no release (applied by hand)', sts('1Gi'), 'kubectl', 'not owned by kc'],
  ])('an object of %s is never replaced, with --force-replace and the annotation', async (_, live, manager, reason) => {
    const client = await clusterWith(live, manager);
    const before = client.objects.get(key);
    const replaced: ObjectRef[] = [];
    const err = await applyReplacing(client, sts('2Gi', { release: RELEASE, annotate: true }), send(client), {
      release: RELEASE, forceReplace: true, clock: fakeClock(), replaced,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FIELD_IMMUTABLE' });
    expect((err as KcError).message).toContain(`not replaced: StatefulSet/ns/db: ${reason}`);
    expect(client.objects.get(key)).toBe(before);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    expect(replaced).toEqual([]);
  });

  test('a dry run judges and reports the replacement but deletes nothing', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const before = client.objects.get(key);
    const replaced: ObjectRef[] = [];
    const dry = (o: KubeObject) => client.apply(o, { fieldManager: 'kc', dryRun: true });
    await applyReplacing(client, sts('2Gi', { release: RELEASE }), dry, {
      release: RELEASE, forceReplace: true, dryRun: true, clock: fakeClock(), replaced,
    });
    expect(replaced.map((r) => r.name)).toEqual(['db']);
    expect(client.objects.get(key)).toBe(before);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  test('an object the server would refuse as new too is not deleted: its own OBJECT_INVALID stands', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    client.create = async () => {
      throw new KcError('OBJECT_INVALID', 'create StatefulSet/ns/db: spec.replicas: Invalid value: -1');
    };
    const err = await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OBJECT_INVALID' });
    expect(client.objects.has(key)).toBe(true);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  test('waits while the deleted object is still there (its pods go first), then creates it', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    let reads = 0;
    client.delete = async (ref) => {
      const live = client.objects.get(refKey(ref))!;
      client.objects.set(refKey(ref), { ...live, metadata: { ...live.metadata, deletionTimestamp: 'now' } });
      return true;
    };
    const realGet = client.get.bind(client);
    client.get = async (ref) => {
      // deleteOwned's read, then two rounds still deleting; the garbage collector is done at the fourth.
      if (++reads === 4) client.objects.delete(refKey(ref));
      return realGet(ref);
    };
    const clock = fakeClock();
    await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock,
    });
    expect(clock.sleeps).toEqual([500, 500]);
    expect(sizeOf(client.objects.get(key))).toBe('2Gi');
  });

  test('a deleted object still there after the timeout: TIMEOUT naming finalizers, nothing sent again', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    client.delete = async (ref) => {
      const live = client.objects.get(refKey(ref))!;
      const metadata = { ...live.metadata, deletionTimestamp: 'now', finalizers: ['example.com/hold'] };
      client.objects.set(refKey(ref), { ...live, metadata });
      return true;
    };
    const clock = fakeClock();
    const err = await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock, timeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect((err as KcError).message).toBe(
      'StatefulSet/ns/db was deleted to be replaced but still exists after 2s; finalizers: example.com/hold',
    );
    expect(clock.sleeps.length).toBe(4);
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual(['apply StatefulSet/db']);
  });

  test('an object created anew by someone else while kc waited is not applied over: CONFLICT', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    client.delete = async (ref) => {
      client.objects.set(refKey(ref), { ...sts('1Gi'), metadata: { name: 'db', namespace: 'ns' } });
      return true;
    };
    const err = await applyReplacing(client, sts('2Gi', { release: RELEASE }), send(client), {
      release: RELEASE, forceReplace: true, clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual(['apply StatefulSet/db']);
  });
});

describe('immutableRefusal', () => {
  test('only an OBJECT_INVALID whose object the server would create is immutable', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const invalid = new KcError('OBJECT_INVALID', 'apply StatefulSet/ns/db: invalid');
    expect(await immutableRefusal(client, sts('2Gi'), invalid)).toMatchObject({ code: 'FIELD_IMMUTABLE' });
    expect(await immutableRefusal(client, sts('2Gi'), new KcError('FIELD_CONFLICT', 'x'))).toBeUndefined();
    client.objects.clear(); // absent: the dry-run create succeeds, so the refusal was not of an update
    expect(await immutableRefusal(client, sts('2Gi'), invalid)).toBeUndefined();
  });
});

describe('immutableChange (kc diff)', () => {
  const invalid = new KcError('OBJECT_INVALID', 'apply StatefulSet/ns/db: invalid', { details: ['spec: Forbidden'] });

  test('says whether the deploy would replace or fail, as applyReplacing judges, deleting nothing', async () => {
    const ours = await clusterWith(sts('1Gi', { release: RELEASE }));
    const judge = (c: FakeKube, o: KubeObject, forceReplace?: boolean) =>
      immutableChange(c, o, invalid, { release: RELEASE, forceReplace });
    expect(await judge(ours, sts('2Gi'))).toEqual({
      replace: false, details: ['spec: Forbidden'], refusal: 'needs --force-replace (or kc.dev/force-replace: "true")',
    });
    expect(await judge(ours, sts('2Gi'), true)).toEqual({ replace: true, details: ['spec: Forbidden'] });
    expect(await judge(ours, sts('2Gi', { annotate: true }))).toEqual({ replace: true, details: ['spec: Forbidden'] });
    const theirs = await clusterWith(sts('1Gi', { release: 'ns/other' }));
    expect(await judge(theirs, sts('2Gi'), true)).toMatchObject({
      replace: false, refusal: 'kc replaces only its own objects: owned by release ns/other',
    });
    expect([...ours.calls, ...theirs.calls].filter((c) => c.startsWith('delete'))).toEqual([]);
    expect(await immutableChange(ours, sts('2Gi'), new Error('x'), { release: RELEASE })).toBeUndefined();
  });
});

describe('applyStaged', () => {
  test('replaces annotated objects, reports them, and counts both applies as sent', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    const replaced: ObjectRef[] = [];
    const tally = { sent: 0 };
    const placed = sts('2Gi', { annotate: true });
    await applyStaged(client, [placed], { release: RELEASE, namespace: 'ns', clock: fakeClock(), replaced, tally });
    expect(replaced.map((r) => r.name)).toEqual(['db']);
    expect(tally.sent).toBe(2);
    expect(sizeOf(client.objects.get(key))).toBe('2Gi');
  });

  test('without the flag or annotation, the immutable change fails the apply', async () => {
    const client = await clusterWith(sts('1Gi', { release: RELEASE }));
    await expect(applyStaged(client, [sts('2Gi')], { release: RELEASE, namespace: 'ns', clock: fakeClock() }))
      .rejects.toMatchObject({ code: 'FIELD_IMMUTABLE' });
    expect(sizeOf(client.objects.get(key))).toBe('1Gi');
  });
});
