// Losing the record key (issue #16), on the local control plane: kc refuses to mint a new key over encrypted
// records, still lists the history, and still uninstalls the release (its objects found by their annotation).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
let project: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('keyloss');
  project = tempProject({ 'maps/index.ts': CONFIG_CHART });
});
afterAll(async () => {
  project.remove();
  await ns.cleanup();
});

describe('a namespace whose kc.release-key was deleted', () => {
  test('upgrade is RECORD_KEY_MISSING (exit 8), history still lists, uninstall still removes the release', async () => {
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    const chart = `${project.dir}/maps`;
    const install = await kcIn(ns.name, [
      'install',
      'keyed',
      chart,
      '--set',
      'maps.a.v=1',
      '--set',
      'maps.b.v=2',
      '--no-wait',
    ]);
    expect(install.code).toBe(0);
    await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: 'bystander' } } });
    await core.deleteNamespacedSecret({ name: 'kc.release-key', namespace: ns.name });

    const upgrade = await kcIn(ns.name, ['upgrade', 'keyed', chart, '--set', 'maps.a.v=3', '--no-wait']);
    expect(upgrade.stderr).toContain('[RECORD_KEY_MISSING]');
    expect(upgrade.code).toBe(8);
    const secrets = (await core.listNamespacedSecret({ namespace: ns.name })).items.map((s) => s.metadata!.name);
    expect(secrets).not.toContain('kc.release-key');
    expect((await historyOf(ns.name, 'keyed')).map((h) => h.status)).toEqual(['deployed']);

    const uninstall = await kcIn(ns.name, ['uninstall', 'keyed']);
    expect(uninstall.stderr).toBe('');
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain('deleted 2 object(s)');
    expect(uninstall.stdout).toContain('its records could not be decrypted (record key lost)');
    const left = (await core.listNamespacedConfigMap({ namespace: ns.name })).items.map((c) => c.metadata!.name);
    expect(left).toContain('bystander');
    expect(left.filter((n) => n!.startsWith('keyed'))).toEqual([]);
    expect((await kcIn(ns.name, ['history', 'keyed'])).code).toBe(3);
  }, 120_000);
});
