// charts/mysql's static PersistentVolume is cluster-scoped: two releases of one name in two namespaces must not
// render the same volume (the second would collide with, or be refused as not owning, the first).
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

const volumeNames = (yaml: string) => {
  const pv = yaml.split('\n---\n').find((doc) => /\nkind: PersistentVolume\n/.test(`\n${doc}`));
  const claim = yaml.split('\n---\n').find((doc) => /\nkind: PersistentVolumeClaim\n/.test(`\n${doc}`));
  return { pv: /\n {2}name: (\S+)/.exec(pv ?? '')?.[1], bound: /volumeName: (\S+)/.exec(claim ?? '')?.[1] };
};

describe('charts/mysql static volume', () => {
  test('is named after the namespace and the release, and the claim binds to it by name', async () => {
    const args = ['template', 'db', 'charts/mysql', '--set', 'rootPassword=r', '--set-string'];
    const withVolume = [...args, 'persistence.volume.hostPath.path=/data'];
    const a = await runCli([...withVolume, '-n', 'team-a']);
    const b = await runCli([...withVolume, '-n', 'team-b']);
    expect(a.code).toBe(0);
    expect(volumeNames(a.stdout)).toEqual({ pv: 'team-a-db-mysql', bound: 'team-a-db-mysql' });
    expect(volumeNames(b.stdout)).toEqual({ pv: 'team-b-db-mysql', bound: 'team-b-db-mysql' });
  });
});
