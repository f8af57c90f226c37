import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { selectReleases, type ReleaseStatus, type RevisionSummary } from '../../../src/release/index.js';

const rev = (name: string, revision: number, status: ReleaseStatus, updated: string, namespace = 'ns'): RevisionSummary => ({
  name, namespace, revision, status, updated, chart: { name: 'c', version: '1.0.0' }, description: '', digest: '',
});

// web: 1 superseded, 2 deployed; api: 1 failed; db: 1 uninstalled; job: 1 deployed, 2 pending-upgrade; other/web: 1 deployed.
const summaries = [
  rev('web', 1, 'superseded', '2026-12-01T10:00:00Z'),
  rev('web', 2, 'deployed', '2026-12-01T12:00:00Z'),
  rev('api', 1, 'failed', '2026-12-01T11:00:00Z'),
  rev('db', 1, 'uninstalled', '2026-12-01T09:00:00Z'),
  rev('job', 1, 'deployed', '2026-12-01T08:00:00Z'),
  rev('job', 2, 'pending-upgrade', '2026-12-01T13:00:00Z'),
  rev('web', 1, 'deployed', '2026-12-01T07:00:00Z', 'other'),
];
const shown = (rows: RevisionSummary[]) => rows.map((r) => `${r.namespace}/${r.name}:${r.revision}:${r.status}`);

describe('selectReleases', () => {
  test('by default: the latest revision of each release, every state but uninstalled, by namespace and name', () => {
    expect(shown(selectReleases(summaries))).toEqual(['ns/api:1:failed', 'ns/job:2:pending-upgrade', 'ns/web:2:deployed', 'other/web:1:deployed']);
  });

  test('--all adds uninstalled releases; state flags keep only their states (pending covers every pending-*)', () => {
    expect(shown(selectReleases(summaries, { all: true }))).toContain('ns/db:1:uninstalled');
    expect(shown(selectReleases(summaries, { states: ['deployed'] }))).toEqual(['ns/web:2:deployed', 'other/web:1:deployed']);
    expect(shown(selectReleases(summaries, { states: ['failed', 'pending'] }))).toEqual(['ns/api:1:failed', 'ns/job:2:pending-upgrade']);
    expect(shown(selectReleases(summaries, { states: ['uninstalled'] }))).toEqual(['ns/db:1:uninstalled']);
    // A state flag filters the latest revision: job's deployed revision 1 is not its latest.
    expect(shown(selectReleases(summaries, { states: ['deployed'] }))).not.toContain('ns/job:1:deployed');
  });

  test('--superseded alone lists the superseded revisions themselves, as Helm does', () => {
    expect(shown(selectReleases(summaries, { states: ['superseded'] }))).toEqual(['ns/web:1:superseded']);
    expect(shown(selectReleases(summaries, { states: ['superseded', 'failed'] }))).toEqual(['ns/api:1:failed']);
  });

  test('--filter matches anywhere in the name; --date sorts by last update; --reverse; --offset and --max page', () => {
    expect(shown(selectReleases(summaries, { filter: '^w' }))).toEqual(['ns/web:2:deployed', 'other/web:1:deployed']);
    expect(shown(selectReleases(summaries, { filter: 'o' }))).toEqual(['ns/job:2:pending-upgrade']);
    expect(shown(selectReleases(summaries, { byDate: true }))).toEqual(['other/web:1:deployed', 'ns/api:1:failed', 'ns/web:2:deployed', 'ns/job:2:pending-upgrade']);
    expect(shown(selectReleases(summaries, { reverse: true }))[0]).toBe('other/web:1:deployed');
    expect(shown(selectReleases(summaries, { offset: 1, max: 2 }))).toEqual(['ns/job:2:pending-upgrade', 'ns/web:2:deployed']);
    expect(selectReleases(summaries, { max: 0 })).toHaveLength(4);
  });

  test('a bad --filter is a USAGE error naming the expression', () => {
    const err = (() => {
      try {
        selectReleases(summaries, { filter: 'web(' });
      } catch (e) {
        return e as KcError;
      }
    })();
    expect(err).toBeInstanceOf(KcError);
    expect(err!.code).toBe('USAGE');
    expect(err!.message).toMatch(/^--filter "web\(" is not a valid regular expression: .*Unterminated group/);
    expect(err!.hint).toContain('--filter "^web"');
  });
});
