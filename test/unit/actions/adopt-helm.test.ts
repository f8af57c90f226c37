import { beforeEach, describe, expect, test } from '@jest/globals';
import { adoptHelm } from '../../../src/actions/adopt-helm.js';
import type { KcContext } from '../../../src/context.js';
import { isKcError } from '../../../src/errors/index.js';
import { withoutHelmManagers } from '../../../src/helm/take-ownership.js';
import type { KubeObject, ManagedFieldsEntry } from '../../../src/kube/types.js';
import { helmRelease, helmSecret } from '../../helpers/helm-record.js';
import { memorySession } from '../../helpers/memory-session.js';
import type { FakeKube } from '../../helpers/fake-kube.js';
import type { ClusterSession } from '../../../src/actions/cluster-session.js';
import type { MemoryDriver } from '../../../src/release/index.js';

const manifest = (replicas: number) =>
  '---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n' +
  `  replicas: "${replicas}"\n`;

/** Revision `version` of Helm release web in namespace ns. */
function revision(version: number, status: string, replicas: number): Record<string, unknown> {
  const info = {
    first_deployed: '2025-01-01T00:00:00Z',
    last_deployed: `2025-01-0${version}T00:00:00Z`,
    status,
    description: 'done',
  };
  return helmRelease({ namespace: 'ns', version, info, manifest: manifest(replicas), config: { replicas } });
}

let s: ClusterSession;
let client: FakeKube;
let driver: MemoryDriver;
const ctx = () => ({ connect: async () => s }) as unknown as KcContext;
const adopt = (extra: { deleteHelmRecords?: boolean } = {}) =>
  adoptHelm(ctx(), { release: 'web', namespace: 'ns', ...extra });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return isKcError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
}

beforeEach(async () => {
  ({ s, client, driver } = memorySession());
  for (const [v, status, replicas] of [
    [1, 'superseded', 1],
    [2, 'deployed', 2],
  ] as const) {
    await client.create(helmSecret(revision(v, status, replicas)) as KubeObject);
  }
  // The live object as Helm applied it (revision 2).
  await client.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'ns' }, data: { replicas: '2' } },
    { fieldManager: 'helm' },
  );
  await client.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'unrelated', namespace: 'ns', labels: { owner: 'helm' } },
  });
});

describe('kc adopt helm (memory cluster)', () => {
  test("imports every revision with its status and values and marks the deployed revision's objects kc's", async () => {
    const result = await adopt();
    expect(result.revisions).toEqual([
      { revision: 1, status: 'superseded', chart: 'web-1.2.3' },
      { revision: 2, status: 'deployed', chart: 'web-1.2.3' },
    ]);
    expect(result.adopted).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web', namespace: 'ns' }]);
    const history = await s.store.history('ns', 'web');
    expect(history.map((h) => [h.revision, h.status, h.updated])).toEqual([
      [1, 'superseded', '2025-01-01T00:00:00.000Z'],
      [2, 'deployed', '2025-01-02T00:00:00.000Z'],
    ]);
    const one = await s.store.read('ns', 'web', 1);
    expect(one.objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { replicas: '1' } },
    ]);
    expect(one.inventory).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web', namespace: 'ns' }]);
    expect(one.userValues).toEqual({ replicas: 1 });
    expect(one.hookObjects[0].metadata?.annotations).toMatchObject({ 'kc.dev/hook': 'pre-upgrade,pre-install' });
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'web', namespace: 'ns' });
    expect(live?.metadata?.annotations).toEqual({ 'kc.dev/release': 'ns/web' });
    // Helm's records stay without --delete-helm-records.
    expect((await client.list('v1', 'Secret', { labelSelector: 'owner=helm' })).length).toBe(3);
  });

  test("--delete-helm-records deletes exactly the imported records, after writing kc's", async () => {
    const result = await adopt({ deleteHelmRecords: true });
    expect(result.deletedHelmRecords).toEqual(['sh.helm.release.v1.web.v1', 'sh.helm.release.v1.web.v2']);
    const left = await client.list('v1', 'Secret', { labelSelector: 'owner=helm' });
    expect(left.map((o) => o.metadata?.name)).toEqual(['unrelated']);
    expect((await s.store.history('ns', 'web')).length).toBe(2);
  });

  test('refuses a kc release of that name, and a pending latest Helm revision, before changing anything', async () => {
    await adopt();
    expect(await codeOf(adopt())).toMatch(/^RELEASE_EXISTS: kc release "web" already exists in namespace ns/);

    ({ s, client } = memorySession());
    await client.create(helmSecret(revision(1, 'deployed', 1)) as KubeObject);
    await client.create(helmSecret(revision(2, 'pending-upgrade', 2)) as KubeObject);
    const err = await adopt().catch((e: unknown) => e);
    expect(isKcError(err) && err.code).toBe('HELM_RELEASE_PENDING');
    expect(isKcError(err) && err.message).toContain('pending-upgrade (revision 2)');
    expect(isKcError(err) && err.hint).toContain('helm rollback web -n ns');
    expect(await s.store.history('ns', 'web')).toEqual([]);
  });

  test('an object that differs from the deployed manifest is refused: no kc record, the object untouched', async () => {
    await client.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'ns' }, data: { replicas: '5' } },
      { fieldManager: 'kubectl' },
    );
    expect(await codeOf(adopt())).toMatch(/^ADOPT_WOULD_CHANGE: .*ConfigMap\/ns\/web would change \(data\)/);
    expect(await s.store.history('ns', 'web')).toEqual([]);
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'web', namespace: 'ns' });
    expect(live?.metadata?.annotations).toBeUndefined();
  });

  test('a failure writing the records removes those written', async () => {
    const create = driver.create.bind(driver);
    let n = 0;
    driver.create = async (r) => {
      if (++n === 2) throw new Error('API server gone');
      return create(r);
    };
    expect(await codeOf(adopt())).toContain('API server gone');
    expect(await s.store.history('ns', 'web')).toEqual([]);
  });

  test("no Helm records: RELEASE_NOT_FOUND; a foreign Secret with Helm's labels: HELM_RECORD_INVALID", async () => {
    ({ s, client } = memorySession());
    expect(await codeOf(adopt())).toMatch(/^RELEASE_NOT_FOUND: no Helm release "web" in namespace ns/);
    const bad = { ...helmSecret(revision(1, 'deployed', 1)), type: 'Opaque' } as KubeObject;
    await client.create(bad);
    expect(await codeOf(adopt())).toMatch(/^HELM_RECORD_INVALID: .* is of type "Opaque"/);
  });

  test("Helm's field managers are dropped, every other one kept", () => {
    const e = (manager: string, operation: string) => ({ manager, operation }) as ManagedFieldsEntry;
    const entries = [e('helm', 'Apply'), e('kc', 'Apply'), e('helm', 'Update'), e('kube-controller-manager', 'Update')];
    expect(withoutHelmManagers(entries)).toEqual([e('kc', 'Apply'), e('kube-controller-manager', 'Update')]);
  });
});
