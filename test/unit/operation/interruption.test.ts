import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { markInterrupted } from '../../../src/operation/interruption.js';
import { statusLine, statusText } from '../../../cli/revision-text.js';
import type { RevisionSummary } from '../../../src/release/index.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const now = new Date('2026-11-25T00:10:00Z');
const clock = { now: () => now, sleep: async () => undefined };
const rev = (name: string, status: RevisionSummary['status']): RevisionSummary => ({
  name,
  namespace: 'ns',
  revision: 2,
  status,
  chart: { name: 'c', version: '1' },
  description: 'Upgrade in progress',
  updated: '2026-11-25T00:01:00.000Z',
  digest: 'd',
  deployedBy: 'ann@h1',
});
const lease = (name: string, renewTime: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: `kc-lock.${name}`, namespace: 'ns' },
  spec: {
    holderIdentity: JSON.stringify({ user: 'bob', host: 'h2', pid: 7, since: 'x' }),
    leaseDurationSeconds: 30,
    renewTime,
  },
});

describe('markInterrupted', () => {
  test('a pending revision whose lock expired was interrupted, when it was last renewed, by its holder', async () => {
    const client = new FakeKube();
    await client.create(lease('a', '2026-11-25T00:05:00.000000Z'));
    const [a] = await markInterrupted(client, clock, [rev('a', 'pending-upgrade')]);
    expect(a.interrupted).toEqual({ since: '2026-11-25T00:05:00.000Z', by: 'bob@h2 (pid 7)' });
    expect(statusText(a)).toBe('pending-upgrade (interrupted)');
    expect(statusLine(a)).toBe(
      'pending-upgrade (interrupted: run by bob@h2 (pid 7), last alive 2026-11-25T00:05:00.000Z; the next operation marks it failed)',
    );
  });

  test('with no lock at all: since its last update, by whoever ran it', async () => {
    const [b] = await markInterrupted(new FakeKube(), clock, [rev('b', 'uninstalling')]);
    expect(b.interrupted).toEqual({ since: '2026-11-25T00:01:00.000Z', by: 'ann@h1' });
  });

  test('a pending revision whose lock is renewed is running; settled revisions are not looked at', async () => {
    const client = new FakeKube();
    await client.create(lease('c', '2026-11-25T00:09:50.000000Z'));
    const out = await markInterrupted(client, clock, [
      rev('c', 'pending-install'),
      rev('d', 'deployed'),
      rev('e', 'failed'),
    ]);
    expect(out.map((s) => s.interrupted)).toEqual([undefined, undefined, undefined]);
    expect(client.calls).toEqual(['create Lease/kc-lock.c', 'get Lease/kc-lock.c']);
    expect(statusText(out[0])).toBe('pending-install');
    expect(statusLine(out[0])).toBe('pending-install');
  });

  test('a lock kc may not read leaves the revision pending, not judged', async () => {
    const client = new FakeKube();
    client.get = async () => {
      throw new KcError('FORBIDDEN', 'leases is forbidden');
    };
    const [f] = await markInterrupted(client, clock, [rev('f', 'pending-upgrade')]);
    expect(f.interrupted).toBeUndefined();
  });
});
