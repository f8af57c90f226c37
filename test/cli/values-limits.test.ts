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

  test('a values file over 8 MiB is refused by its size before it is read: -f, --set-file and -f - alike', async () => {
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 8 * 1024 * 1024 + 1); // sparse: the size is what is checked, not the text
    const limit = 'larger than the 8 MiB limit for values input';
    const file = await template(['-f', big]);
    expect(file.stderr).toContain(`Error [VALUES_FILE_INVALID]: -f ${big} is 8.0 MiB, ${limit}`);
    expect(file.code).toBe(2);
    const setFile = await template(['--set-file', `rootPassword=${big}`]);
    expect(setFile.stderr).toContain(`Error [VALUES_FILE_INVALID]: --set-file rootPassword: ${big} is 8.0 MiB, ${limit}`);
    expect(setFile.code).toBe(2);
    const stdin = await runCli(['template', 'db', 'charts/mysql', '--set', 'rootPassword=x', '-f', '-'], { stdin: `x: ${'a'.repeat(9 * 1024 * 1024)}\n` });
    expect(stdin.stderr).toContain(`Error [VALUES_FILE_INVALID]: -f - (standard input) is 9.0 MiB, ${limit}`);
    expect(stdin.code).toBe(2);
  });
});
