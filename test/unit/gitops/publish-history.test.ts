// The GitOps history of an environment: one ConfigMap, written conditionally, bounded, refusing a corrupt one.
import { describe, expect, test } from '@jest/globals';
import {
  MAX_GITOPS_REVISIONS,
  historyName,
  readGitopsHistory,
  updateGitopsHistory,
  type GitopsRevision,
} from '../../../src/gitops/publish-history.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const published = (digest: string) => ({
  project: 'shop',
  env: 'prod',
  repository: 'oci://127.0.0.1:5000/shop',
  tag: 'prod',
  digest,
  releases: [],
  signed: false,
});
const revision = (n: number): GitopsRevision => ({
  revision: n,
  status: 'deployed',
  published: published(`sha256:${String(n).padStart(64, '0')}`),
  description: 'Deploy complete',
  updated: '2026-12-06T00:00:00Z',
  deployedBy: 'me@host',
});

describe('GitOps history', () => {
  test('names: readable when they can be, hashed when not', () => {
    expect(historyName('shop', 'prod')).toBe('kc.gitops.shop.prod');
    expect(historyName('My Shop!', 'prod')).toMatch(/^kc\.gitops\.[0-9a-f]{16}$/);
  });

  test('empty at first; each update reads, changes and writes back', async () => {
    const kube = new FakeKube();
    expect(await readGitopsHistory(kube, 'flux-system', 'shop', 'prod')).toEqual([]);
    await updateGitopsHistory(kube, 'flux-system', 'shop', 'prod', (h) => [...h, revision(1)]);
    await updateGitopsHistory(kube, 'flux-system', 'shop', 'prod', (h) => [...h, revision(2)]);
    expect((await readGitopsHistory(kube, 'flux-system', 'shop', 'prod')).map((r) => r.revision)).toEqual([1, 2]);
  });

  test(`at most ${MAX_GITOPS_REVISIONS} revisions are kept`, async () => {
    const kube = new FakeKube();
    const many = Array.from({ length: MAX_GITOPS_REVISIONS + 5 }, (_, i) => revision(i + 1));
    const kept = await updateGitopsHistory(kube, 'flux-system', 'shop', 'prod', () => many);
    expect(kept).toHaveLength(MAX_GITOPS_REVISIONS);
    expect(kept[0].revision).toBe(6);
  });

  test('a concurrent change is refused, not overwritten', async () => {
    const kube = new FakeKube();
    await updateGitopsHistory(kube, 'flux-system', 'shop', 'prod', () => [revision(1)]);
    const err = await updateGitopsHistory(kube, 'flux-system', 'shop', 'prod', (h) => {
      // Someone else writes while this one is changing the history it read.
      void kube.mergePatch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'flux-system', name: 'kc.gitops.shop.prod' },
        { metadata: { labels: { x: 'y' } } },
      );
      return [...h, revision(2)];
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RELEASE_LOCKED' });
  });

  test('a history changed outside kc into garbage is RECORD_CORRUPT', async () => {
    const kube = new FakeKube();
    await kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kc.gitops.shop.prod', namespace: 'flux-system' },
      data: { 'history.json': '{nope' },
    });
    await expect(readGitopsHistory(kube, 'flux-system', 'shop', 'prod')).rejects.toMatchObject({
      code: 'RECORD_CORRUPT',
    });
  });
});
