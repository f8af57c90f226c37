import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-values-limits-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** JSON nested `levels` maps deep. */
const deepJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const template = (args: string[]) => runCli(['template', 'db', 'charts/mysql', '--set', 'rootPassword=x', ...args]);

describe('values input past the limits is refused as input, never INTERNAL', () => {
  test('--set-json nested 20000 deep is VALUES_INVALID naming the limit (it overflowed the stack)', async () => {
    const run = await template(['--set-json', `a=${deepJson(20_000)}`]);
    expect(run.stderr).toBe(
      'Error [VALUES_INVALID]: --set-json a=<redacted>: value is nested deeper than 100 levels\n' +
        'Hint: flatten the value; values may nest at most 100 maps or lists deep\n',
    );
    expect(run.code).toBe(2);
  });

  test('a -f file nested past the limit is VALUES_FILE_INVALID naming the file, whether or not YAML overflows', async () => {
    for (const levels of [150, 20_000]) {
      fs.writeFileSync(path.join(dir, 'deep.yaml'), deepJson(levels));
      const run = await template(['-f', path.join(dir, 'deep.yaml')]);
      expect(run.stderr).toContain(`Error [VALUES_FILE_INVALID]: ${path.join(dir, 'deep.yaml')} is nested deeper than 100 levels`);
      expect(run.code).toBe(2);
    }
  });
});
