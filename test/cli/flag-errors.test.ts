// Bad flag values: each is a typed error naming the flag (exit 2, or 3 for a missing file), before anything is done.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { PROJECT_FILE, tempProject } from '../helpers/temp-project.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-flags-'));
const kubeconfig = path.join(tmp, 'config');
fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
const secretFile = path.join(tmp, 'password.txt');
fs.writeFileSync(secretFile, 's3cret-from-file');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs kc where any cluster contact fails the test: a bad flag must stop everything before that. */
async function offline(args: string[], cwd?: string) {
  let contacted = false;
  const run = await runCli(args, {
    cwd,
    ctx: {
      connect: async () => {
        contacted = true;
        throw new Error('the cluster was contacted');
      },
    },
  });
  return { ...run, contacted };
}

const firstLine = (text: string) => text.split('\n')[0];

describe('file flags', () => {
  test('a --set-file whose file is missing is FILE_NOT_FOUND naming the flag, not CHART_FAILED', async () => {
    const run = await offline(['synth', 'examples/mysql', '--set-file', 'my-mysql.rootPassword=/no/such/file']);
    expect(run.code).toBe(3);
    expect(firstLine(run.stderr)).toBe('Error [FILE_NOT_FOUND]: --set-file my-mysql.rootPassword: file /no/such/file does not exist');
    expect(run.stderr).not.toContain('CHART_FAILED');
  });

  test.each([
    [['--set-file', `my-mysql.rootPassword=${tmp}`], `Error [USAGE]: --set-file my-mysql.rootPassword: ${tmp} is a directory, not a file`],
    [['--set-file', 'my-mysql.rootPassword='], 'Error [USAGE]: --set-file my-mysql.rootPassword is empty: it must name a file'],
    [['-f', tmp], `Error [USAGE]: -f ${tmp}: ${tmp} is a directory, not a file`],
    [['-f', ''], 'Error [USAGE]: -f is empty: it must name a file'],
  ])('kc synth %j is a usage error naming the flag', async (flags, message) => {
    const run = await offline(['synth', 'examples/mysql', ...flags]);
    expect(firstLine(run.stderr)).toBe(message);
    expect(run.code).toBe(2);
  });

  test('-f with a missing file is FILE_NOT_FOUND naming -f', async () => {
    const run = await offline(['synth', 'examples/mysql', '-f', 'nope.yaml']);
    expect(firstLine(run.stderr)).toBe('Error [FILE_NOT_FOUND]: -f nope.yaml: file nope.yaml does not exist');
    expect(run.code).toBe(3);
  });

  test('a missing --kubeconfig is FILE_NOT_FOUND naming the flag, before the cluster is contacted', async () => {
    const run = await offline(['history', 'my', '--kubeconfig', '/no/such/kubeconfig']);
    expect(firstLine(run.stderr)).toBe('Error [FILE_NOT_FOUND]: --kubeconfig /no/such/kubeconfig: file does not exist');
    expect(run.code).toBe(3);
    expect(run.contacted).toBe(false);
  });
});

describe('reserved values keys', () => {
  test.each([
    [['--set', 'my-mysql.__proto__.polluted=1'], '__proto__', 'my-mysql.__proto__', '--set my-mysql.__proto__.polluted=…'],
    [['--set', '__proto__.polluted=1'], '__proto__', '__proto__', '--set __proto__.polluted=…'],
    [['--set-string', 'my-mysql.constructor=topsecret'], 'constructor', 'my-mysql.constructor', '--set-string my-mysql.constructor=…'],
    [['--set-json', 'my-mysql.image={"prototype":"topsecret"}'], 'prototype', 'my-mysql.image.prototype', '--set-json my-mysql.image=…'],
    [['--set-json', 'my-mysql={"__proto__":{"x":"topsecret"}}'], '__proto__', 'my-mysql.__proto__', '--set-json my-mysql=…'],
    [['--set-file', `my-mysql.prototype=${secretFile}`], 'prototype', 'my-mysql.prototype', '--set-file my-mysql.prototype=…'],
    [['--set-literal', 'my-mysql.a.constructor=topsecret'], 'constructor', 'my-mysql.a.constructor', '--set-literal my-mysql.a.constructor=…'],
  ])('kc synth %j is VALUES_INVALID naming the key, never the value', async (flags, key, at, layer) => {
    const run = await offline(['synth', 'examples/mysql', ...flags]);
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toBe(`Error [VALUES_INVALID]: values key "${key}" is not allowed (at ${at}, set by ${layer})`);
    expect(run.stderr).not.toMatch(/topsecret|s3cret|polluted=1/);
    expect(run.stdout).toBe('');
    // Nothing reached Object.prototype on the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a -f values file and the environment\'s values and values files are checked too', async () => {
    const config = (env: string) => `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { ${env} } });
`;
    const project = tempProject({
      'app.ts': `import { defineApp } from 'kc/chart';\nexport default defineApp(() => undefined);\n`,
      'values/bad.yaml': 'web:\n  prototype: topsecret\n',
      'bad.yaml': 'web:\n  nested:\n    __proto__:\n      polluted: topsecret\n',
    });
    try {
      const cases: [string, string[], string][] = [
        // An object literal's __proto__ sets the prototype: the key is gone from the object, and found all the same.
        ["e: { values: { web: { __proto__: { hidden: 'topsecret' } } as Record<string, unknown> } }", [], 'values key "__proto__" is not allowed (at web.__proto__, set by environment "e" in kc.config.ts)'],
        ["e: { values: { web: { ['constructor']: { hidden: 'topsecret' } } } }", [], 'values key "constructor" is not allowed (at web.constructor, set by environment "e" in kc.config.ts)'],
        ["e: { valuesFiles: ['values/bad.yaml'] }", [], 'values key "prototype" is not allowed (at web.prototype, set by environment "e" file values/bad.yaml)'],
        ['e: {}', ['-f', 'bad.yaml'], 'values key "__proto__" is not allowed (at web.nested.__proto__, set by -f bad.yaml)'],
      ];
      for (const [env, flags, message] of cases) {
        project.write({ 'kc.config.ts': config(env) });
        const run = await offline(['synth', '.', '--env', 'e', ...flags], project.dir);
        expect(firstLine(run.stderr)).toBe(`Error [VALUES_INVALID]: ${message}`);
        expect(run.code).toBe(2);
        expect(run.stderr).not.toContain('topsecret');
      }
    } finally {
      project.remove();
    }
  });
});

describe('bad flag values are usage errors naming the flag, and nothing is contacted', () => {
  test.each([
    [['history', 'my', '--env', ''], 'Error [USAGE]: --env is empty'],
    [['synth', 'examples/mysql', '--env', ''], 'Error [USAGE]: --env is empty'],
    [['deploy', 'examples/mysql', '--env', ''], 'Error [USAGE]: --env is empty'],
    [['history', 'my', '-n', ''], 'Error [USAGE]: --namespace is empty'],
    [['history', 'my', '-n', 'Bad_NS'], 'Error [USAGE]: --namespace "Bad_NS" is not a namespace name'],
    [['history', 'my', '--context', ''], 'Error [USAGE]: --context is empty'],
    [['history', 'my', '--kubeconfig', ''], 'Error [USAGE]: --kubeconfig is empty'],
    [['history', ''], 'Error [USAGE]: the release argument is empty'],
    [['history', 'my', '-o', 'xml'], 'Error [USAGE]: -o xml: unknown output format'],
    [['history', 'my', '-o', ''], 'Error [USAGE]: --output is empty'],
    [['history', 'my', '--max', '1e1'], 'Error [USAGE]: --max 1e1 is not a whole number of 0 or more'],
    [['list', '--max', '99999999999999999999'], 'Error [USAGE]: --max 99999999999999999999 is not a whole number of 0 or more'],
    [['rollback', 'my', '0x10'], 'Error [USAGE]: revision "0x10" is not a positive whole number'],
    [['rollback', 'my', '0'], 'Error [USAGE]: revision "0" is not a positive whole number'],
    [['status', 'my', '--revision', '1e1'], 'Error [USAGE]: --revision 1e1 is not a positive whole number'],
    [['get', 'values', 'my', '--revision', '2.0'], 'Error [USAGE]: --revision 2.0 is not a positive whole number'],
    [['rollback', 'my', '--timeout', 'soon'], 'Error [USAGE]: --timeout "soon" is not a duration'],
    [['install', 'my', 'charts/mysql', '--timeout', '999999h'], 'Error [USAGE]: --timeout "999999h" is too long: kc waits at most 596h'],
    [['uninstall', 'my', '--wait-for-lock=1x'], 'Error [USAGE]: --wait-for-lock "1x" is not a duration'],
    [['uninstall', 'my', '--wait-for-lock='], 'Error [USAGE]: --wait-for-lock is empty'],
    [['upgrade', 'my', 'charts/mysql', '--history-max', '-1'], 'Error [USAGE]: --history-max -1 is not a whole number of 0 or more'],
    [['install', 'my', 'charts/mysql', '--dry-run=maybe'], 'Error [USAGE]: --dry-run=maybe: expected client or server'],
    [['test', 'my', '--junit', ''], 'Error [USAGE]: --junit is empty'],
    [['synth', 'examples/mysql', '-o', ''], 'Error [USAGE]: --output is empty'],
    [['diff', 'a', 'b', 'c'], 'Error [USAGE]: kc diff takes PROJECT or RELEASE CHART, not 3 arguments'],
    [['status'], 'Error [USAGE]: kc status needs a release name, or --env E to list the environment\'s releases'],
  ])('kc %j', async (args, message) => {
    const local = args[0] === 'synth' || args[0] === 'diff' || args.includes('--kubeconfig');
    const run = await offline([...args, ...(local ? [] : ['--kubeconfig', kubeconfig])]);
    expect(firstLine(run.stderr)).toBe(message);
    expect(run.code).toBe(2);
    expect(run.contacted).toBe(false);
    expect(run.stderr).toContain('Hint: ');
  });
});

describe('environment names', () => {
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('--env %s is ENV_UNKNOWN listing the known environments', async (env) => {
    const project = tempProject({ 'kc.config.ts': PROJECT_FILE, 'app.ts': `import { defineApp } from 'kc/chart';\nexport default defineApp(() => undefined);\n` });
    try {
      for (const args of [['synth', '.'], ['history', 'web', '--kubeconfig', kubeconfig]]) {
        const run = await offline([...args, '--env', env], project.dir);
        expect(firstLine(run.stderr)).toBe(`Error [ENV_UNKNOWN]: environment "${env}" is not defined in kc.config.ts`);
        expect(run.stderr).toContain('Hint: known environments: test');
        expect(run.code).toBe(2);
        expect(run.contacted).toBe(false);
      }
    } finally {
      project.remove();
    }
  });
});
