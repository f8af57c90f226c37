// An environment yields fields of a release's objects to other managers (yieldFields in the project file).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject;
const config = (yields: string) => `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { prod: { yieldFields: ${yields} }, dev: {} } });
`;
beforeAll(() => {
  project = tempProject({
    'kc.config.ts': config(`{ maps: { 'ConfigMap/maps-a': ['data.count'] } }`),
    'maps.ts': CONFIG_CHART,
    'app.ts': `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
export default defineApp((app) => { new Maps(app, 'maps', { maps: { a: { count: '1' }, b: { count: '2' } } }); });
`,
  });
});
afterAll(() => project.remove());

const annotations = (yaml: string) =>
  parseAllDocuments(yaml).map((d) => {
    const { name, annotations: a } = (d.toJS() as { metadata: { name: string; annotations?: Record<string, string> } }).metadata;
    return a ? { name, annotations: a } : { name };
  });

describe('environment yieldFields', () => {
  test('annotate the selected objects in that environment only', async () => {
    const prod = await runCli(['synth', project.dir, '--env', 'prod']);
    expect(prod.stderr).toBe('');
    expect(annotations(prod.stdout)).toEqual([
      { name: 'maps-a', annotations: { 'kc.dev/yield-fields': 'data.count' } },
      { name: 'maps-b' },
    ]);
    const dev = await runCli(['synth', project.dir, '--env', 'dev']);
    expect(annotations(dev.stdout)).toEqual([{ name: 'maps-a' }, { name: 'maps-b' }]);
  });

  test('a rule naming an unknown release or selecting nothing is a config error naming it', async () => {
    project.write({ 'kc.config.ts': config(`{ mapz: { ConfigMap: ['data.count'] } }`) });
    const release = await runCli(['synth', project.dir, '--env', 'prod']);
    expect(release.code).toBe(2);
    expect(release.stderr).toContain('[CONFIG_INVALID]');
    expect(release.stderr).toContain('yieldFields names release "mapz", which the app does not define');
    project.write({ 'kc.config.ts': config(`{ maps: { 'Deployment/web': ['spec.replicas'] } }`) });
    const selector = await runCli(['synth', project.dir, '--env', 'prod']);
    expect(selector.stderr).toContain('yieldFields.maps selects no object with "Deployment/web"');
    expect(selector.stderr).toContain('ConfigMap/maps-a, ConfigMap/maps-b');
    project.write({ 'kc.config.ts': config(`{ maps: { ConfigMap: ['data..count'] } }`) });
    const badPath = await runCli(['synth', project.dir, '--env', 'prod']);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toContain('must be a dotted field path such as spec.replicas');
  });
});
