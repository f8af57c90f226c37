// A kc.config.ts that throws, or does not parse, is the user's error: CONFIG_INVALID (or BUNDLE_FAILED) naming the
// file and line and what it said, never INTERNAL.
import { afterEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

const THREW = 'Error [CONFIG_INVALID]: kc.config.ts threw while it was evaluated: ';

const APP = `import { defineApp } from 'kc/chart';
export default defineApp(() => undefined);
`;

let project: TempProject | undefined;
afterEach(() => project?.remove());

/** Runs kc in a project made of these files. */
function inProject(files: Record<string, string>, args: string[]) {
  project = tempProject({ 'app.ts': APP, ...files });
  return runCli(args, { cwd: project.dir });
}

describe('a kc.config.ts that throws', () => {
  const THROWS = `import { defineConfig } from 'kc/config';
const env = process.env as Record<string, string | undefined>;
if (!env.KC_TEST_NO_SUCH_VAR) throw new Error('set KC_TEST_NO_SUCH_VAR first');
export default defineConfig({ app: './app.ts' });
`;

  test.each([[['synth', '.']], [['deploy', '.', '--env', 'dev']], [['status', '--env', 'dev']], [['lint', '.']]])(
    'kc %j is CONFIG_INVALID naming the file, the line and the message',
    async (args) => {
      const run = await inProject({ 'kc.config.ts': THROWS }, args);
      expect(run.stderr).toContain(`${THREW}set KC_TEST_NO_SUCH_VAR first\n`);
      expect(run.stderr).toMatch(/\n {2}at kc\.config\.ts:3:\d+\n/);
      expect(run.stderr).not.toContain('INTERNAL');
      expect(run.code).toBe(2);
    },
  );

  test('a TypeError names its line too', async () => {
    const config = `import { defineConfig } from 'kc/config';
const settings: { cluster?: { name: string } } = {};

export default defineConfig({ app: './app.ts', name: settings.cluster!.name });
`;
    const run = await inProject({ 'kc.config.ts': config }, ['synth', '.']);
    expect(run.stderr).toContain(`${THREW}Cannot read properties of undefined`);
    expect(run.stderr).toMatch(/\n {2}at kc\.config\.ts:4:\d+\n/);
    expect(run.code).toBe(2);
  });

  test('a module it imports that throws is named at its own line', async () => {
    const config = `import { defineConfig } from 'kc/config';
import { namespace } from './settings.js';
export default defineConfig({ app: './app.ts', environments: { dev: { namespace } } });
`;
    const settings = `export const namespace = 'dev';
throw new RangeError('settings are not ready');
`;
    const run = await inProject({ 'kc.config.ts': config, 'settings.ts': settings }, ['synth', '.', '--env', 'dev']);
    expect(run.stderr).toContain(`${THREW}settings are not ready\n`);
    expect(run.stderr).toMatch(/\n {2}at settings\.ts:2:\d+\n/);
    expect(run.code).toBe(2);
  });

  test('a value thrown that is not an Error is quoted as it is', async () => {
    const config = `throw 'not ready';\n`;
    const run = await inProject({ 'kc.config.ts': config }, ['synth', '.']);
    expect(run.stderr).toContain(`${THREW}not ready\n`);
    expect(run.code).toBe(2);
  });
});

test('a kc.config.ts exporting a function is CONFIG_INVALID naming where: it crosses threads as data', async () => {
  const config = `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { dev: { values: { web: { tag: () => 'v1' } } } } });
`;
  const run = await inProject({ 'kc.config.ts': config }, ['synth', '.', '--env', 'dev']);
  const what = 'kc.config.ts exports what kc cannot copy: environments.dev.values.web.tag is a function';
  expect(run.stderr).toContain(`Error [CONFIG_INVALID]: ${what}\n`);
  expect(run.stderr).toContain('Hint: a project file exports plain data');
  expect(run.code).toBe(2);
});

test('a kc.config.ts with a syntax error is BUNDLE_FAILED naming the file and line', async () => {
  const config = `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { dev: {} } ;
`;
  const run = await inProject({ 'kc.config.ts': config }, ['synth', '.']);
  expect(run.stderr).toContain('Error [BUNDLE_FAILED]: cannot bundle kc.config.ts: Expected "}" but found ";"\n');
  expect(run.stderr).toMatch(/\n {2}kc\.config\.ts:2:\d+: Expected "}" but found ";"\n/);
  expect(run.code).toBe(4);
});
