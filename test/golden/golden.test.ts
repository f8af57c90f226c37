// Golden YAML per chart × environment. `npm run golden:update` rewrites the files; review the diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { repoRoot, runCli } from '../helpers/run-cli.js';

/** [golden file name, kc synth arguments] */
export const goldenCases: [string, string[]][] = [
  ['mysql-app-default', ['examples/mysql']],
  ['mysql-app-dev', ['examples/mysql', '--env', 'dev']],
  ['mysql-app-prod', ['examples/mysql', '--env', 'prod']],
  ['mysql-chart-defaults', ['charts/mysql', '--release', 'my', '--set', 'rootPassword=root']],
  ['webapp-chart-defaults', ['charts/webapp']],
  ['webapp-with-db-default', ['examples/webapp-with-db']],
  ['webapp-with-db-dev', ['examples/webapp-with-db', '--env', 'dev']],
  ['webapp-with-db-prod', ['examples/webapp-with-db', '--env', 'prod']],
];


describe('golden YAML', () => {
  test.each(goldenCases)('%s', async (name, args) => {
    const { code, stdout, stderr } = await runCli(['synth', ...args]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const file = path.join(repoRoot, 'test/golden', `${name}.yaml`);
    if (process.env.KC_UPDATE_GOLDEN || !fs.existsSync(file)) fs.writeFileSync(file, stdout);
    expect(stdout).toBe(fs.readFileSync(file, 'utf8'));
  });
});
