import { describe, expect, test } from '@jest/globals';
import type { Clock } from '../../../src/clock.js';
import { LeaseLocker } from '../../../src/release/index.js';
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
    const dead = new LeaseLocker(client, clock, { user: 'ann', host: 'h1', pid: 11, since: 's' }, { durationSeconds: 30 });
    const next = new LeaseLocker(client, clock, { user: 'bob', host: 'h2', pid: 22, since: 's' }, { durationSeconds: 30, pollMs: 1000 });
    await dead.acquire('ns', 'rel'); // never released, never renewed (the process was killed)
    clock.advance(10_000);
    await expect(next.acquire('ns', 'rel')).rejects.toMatchObject({ code: 'RELEASE_LOCKED' });
    const handle = await next.acquire('ns', 'rel', { waitMs: 60_000 });
    expect(clock.now().getTime() - Date.parse('2026-11-25T00:00:00Z')).toBeLessThanOrEqual(41_000);
    const lease = [...client.objects.values()].find((o) => o.kind === 'Lease');
    expect(JSON.parse((lease!.spec as { holderIdentity: string }).holderIdentity).user).toBe('bob');
    await handle.release();
  });
});
