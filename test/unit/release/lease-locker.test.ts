import { describe, expect, test } from '@jest/globals';
import type { Clock } from '../../../src/clock.js';
import { KcError } from '../../../src/errors/index.js';
import { LeaseLocker } from '../../../src/release/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), sleep: async (ms) => void (now += ms), advance: (ms) => void (now += ms) };
}

describe('LeaseLocker', () => {
  test('a second holder is refused with the first holder named', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const a = new LeaseLocker(client, clock, { user: 'ann', host: 'h1', pid: 11, since: '2026-11-25T00:00:00.000Z' });
    const b = new LeaseLocker(client, clock, { user: 'bob', host: 'h2', pid: 22, since: 'later' });
    const held = await a.acquire('ns', 'rel');
    await expect(b.acquire('ns', 'rel')).rejects.toMatchObject({
      code: 'RELEASE_LOCKED',
      message: 'release "rel" is locked by another operation: ann@h1 (pid 11) since 2026-11-25T00:00:00.000Z',
    });
    await held.release();
    await (await b.acquire('ns', 'rel')).release();
  });

  test('a lock whose holder stopped renewing is taken over once expired', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const dead = new LeaseLocker(
      client,
      clock,
      { user: 'ann', host: 'h1', pid: 11, since: 's' },
      { durationSeconds: 30 },
    );
    const next = new LeaseLocker(
      client,
      clock,
      { user: 'bob', host: 'h2', pid: 22, since: 's' },
      { durationSeconds: 30, pollMs: 1000 },
    );
    await dead.acquire('ns', 'rel'); // never released, never renewed (the process was killed)
    clock.advance(10_000);
    await expect(next.acquire('ns', 'rel')).rejects.toMatchObject({ code: 'RELEASE_LOCKED' });
    const handle = await next.acquire('ns', 'rel', { waitMs: 60_000 });
    expect(clock.now().getTime() - Date.parse('2026-11-25T00:00:00Z')).toBeLessThanOrEqual(41_000);
    const lease = [...client.objects.values()].find((o) => o.kind === 'Lease');
    expect(JSON.parse((lease!.spec as { holderIdentity: string }).holderIdentity).user).toBe('bob');
    await handle.release();
  });

  const ann = { user: 'ann', host: 'h1', pid: 11, since: 's' };
  const bob = { user: 'bob', host: 'h2', pid: 22, since: 's' };
  const holderOf = (client: FakeKube) => {
    const lease = [...client.objects.values()].find((o) => o.kind === 'Lease');
    return lease && JSON.parse((lease.spec as { holderIdentity: string }).holderIdentity).user;
  };

  test('a holder paused past its lease and taken over stops at its next write with LOCK_LOST', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const paused = await new LeaseLocker(client, clock, ann, { durationSeconds: 30 }).acquire('ns', 'rel');
    await paused.assertHeld(); // fresh: no request needed
    clock.advance(31_000); // SIGSTOP: no renewal ran
    const next = await new LeaseLocker(client, clock, bob, { durationSeconds: 30 }).acquire('ns', 'rel');
    await expect(paused.assertHeld()).rejects.toMatchObject({
      code: 'LOCK_LOST',
      message: expect.stringContaining('"rel"'),
    });
    await paused.release(); // never deletes the Lease it no longer holds
    expect(holderOf(client)).toBe('bob');
    await next.assertHeld();
    await next.release();
    expect(holderOf(client)).toBeUndefined();
  });

  test('a holder paused past its lease that nobody took over confirms it and goes on', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const held = await new LeaseLocker(client, clock, ann, { durationSeconds: 30 }).acquire('ns', 'rel');
    clock.advance(60_000);
    client.calls.length = 0;
    await held.assertHeld();
    expect(client.calls).toEqual(['patch Lease/kc-lock.rel']); // conditional on the version it wrote
    await held.assertHeld();
    expect(client.calls).toHaveLength(1); // fresh again
    await held.release();
  });

  test('a take-over between two renewals is found by the conditional renewal', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const held = await new LeaseLocker(client, clock, ann, { durationSeconds: 30 }).acquire('ns', 'rel');
    // Someone rewrites the Lease (a take-over by a process whose clock runs ahead).
    const lease = [...client.objects.values()].find((o) => o.kind === 'Lease')!;
    await client.replace({ ...lease, spec: { ...(lease.spec as object), holderIdentity: JSON.stringify(bob) } });
    clock.advance(26_000); // within the margin before expiry: confirmed before writing
    await expect(held.assertHeld()).rejects.toMatchObject({ code: 'LOCK_LOST' });
    await held.release();
    expect(holderOf(client)).toBe('bob');
  });

  test('a holder whose Lease was deleted while it was paused does not make it again', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const held = await new LeaseLocker(client, clock, ann, { durationSeconds: 30 }).acquire('ns', 'rel');
    clock.advance(31_000);
    const next = await new LeaseLocker(client, clock, bob, { durationSeconds: 30 }).acquire('ns', 'rel');
    await next.release(); // the next holder finished and gave the lock back
    await expect(held.assertHeld()).rejects.toMatchObject({
      code: 'LOCK_LOST',
      message: expect.stringContaining('deleted'),
    });
    expect(holderOf(client)).toBeUndefined();
  });

  test('a create whose answer was lost leaves no Lease of this process behind', async () => {
    const client = new FakeKube();
    const clock = clockAt(Date.parse('2026-11-25T00:00:00Z'));
    const create = client.create.bind(client);
    client.create = async (object: KubeObject, options?: { dryRun?: boolean }) => {
      await create(object, options); // the server acted on it ...
      throw new KcError('CONNECTION_LOST', 'the answer was lost'); // ... but its answer never came
    };
    await expect(new LeaseLocker(client, clock, ann).acquire('ns', 'rel')).rejects.toMatchObject({
      code: 'CONNECTION_LOST',
    });
    expect(holderOf(client)).toBeUndefined();
  });
});
