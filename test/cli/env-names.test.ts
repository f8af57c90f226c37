// Environment names are looked up among the project file's own environments only: a name that Object.prototype
// has (constructor, toString, __proto__) is ENV_UNKNOWN like any other undefined one, for every command with --env,
// before the app is built or a cluster contacted.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ClusterSelector } from '../../src/kube/kubeconfig.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

// The app throws: no command may get as far as building or running it.
const APP = `throw new Error('the app was run');\n`;

let withEnvs: TempProject;
let withoutEnvs: TempProject;
beforeAll(() => {
  withEnvs = tempProject({
    'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { dev: {}, prod: { namespace: 'prod' } } });
`,
    'app.ts': APP,
  });
  withoutEnvs = tempProject({
    'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts' });
`,
    'app.ts': APP,
  });
});
afterAll(() => {
  withEnvs.remove();
  withoutEnvs.remove();
});

/** Runs kc in `dir`, recording every cluster connection. */
async function run(args: string[], dir: string) {
  const selectors: ClusterSelector[] = [];
  const result = await runCli(args, {
    cwd: dir,
    ctx: {
      connect: async (selector) => {
        selectors.push(selector);
        return memorySession().s;
      },
    },
  });
  return { ...result, selectors };
}

const COMMANDS: string[][] = [
  ['deploy', '.'],
  ['synth', '.'],
  ['diff', '.'],
  ['status'],
  ['status', 'web'],
  ['history', 'web'],
  ['get', 'values', 'web'],
  ['rollback', 'web'],
  ['uninstall', 'web'],
  ['test', 'web'],
  ['test', 'web', '.'],
];

describe.each(PROTOTYPE_NAMES)('--env %s', (name) => {
  test.each(COMMANDS)('kc %s … is ENV_UNKNOWN listing the known environments', async (...args) => {
    const r = await run([...args, '--env', name], withEnvs.dir);
    const message = `Error [ENV_UNKNOWN]: environment "${name}" is not defined in kc.config.ts\n`;
    expect(r.stderr).toBe(`${message}Hint: known environments: dev, prod\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.selectors).toEqual([]);
  });

  test('in a project file without environments too', async () => {
    for (const args of [['deploy', '.'], ['history', 'web']]) {
      const r = await run([...args, '--env', name], withoutEnvs.dir);
      expect(r.stderr).toContain(`Error [ENV_UNKNOWN]: environment "${name}" is not defined in kc.config.ts\n`);
      expect(r.stderr).toContain('Hint: add an `environments` entry to the project file');
      expect(r.code).toBe(2);
      expect(r.selectors).toEqual([]);
    }
  });
});
