// Helm users' habits: Helm's flag names, KC_NAMESPACE/KC_KUBECONTEXT, `kc search KEYWORD`, the quote hint for
// version-like numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import { runCli } from '../helpers/run-cli.js';
import {
  addClusterFlags,
  addOperationFlags,
  operationOptions,
  type OperationFlagValues,
} from '../../cli/cluster-flags.js';
import { fixedClock, memoryHttp, serveDir, tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

// Two contexts on a closed loopback port: the error (or a dry run's namespace) shows which one a command used.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kcfg-'));
const kubeconfig = path.join(dir, 'config');
fs.writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts:
  - { name: x, context: { cluster: c, user: u, namespace: ns-x } }
  - { name: y, context: { cluster: c, user: u, namespace: ns-y } }
current-context: x
`,
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs kc with environment variables set for the run only. */
async function withEnv(vars: Record<string, string>, args: string[]) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await runCli(args);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const install = ['install', 'my', 'charts/mysql', '--set', 'rootPassword=root', '--kubeconfig', kubeconfig];
const dryRun = [...install, '--dry-run'];
const namespaces = (yaml: string) => [...new Set([...yaml.matchAll(/^ {2}namespace: (\S+)$/gm)].map((m) => m[1]))];

describe("Helm's flag names", () => {
  test.each([
    [['history', 'my', '--kubeconfig', kubeconfig]],
    [install],
    [[...install, '--rollback-on-failure', '--take-ownership', '--wait-for-jobs']],
  ])(
    'kc %j --kube-context y talks to context y, as --context y does',
    async (args) => {
      for (const flag of ['--kube-context', '--context']) {
        const run = await runCli([...args, flag, 'y']);
        expect(run.stderr).toContain('cannot reach the Kubernetes API server at https://127.0.0.1:1 (context y)');
        expect(run.code).toBe(5);
      }
    },
    60_000,
  );

  test('--kube-context and --context with different values are refused; the same value is accepted', async () => {
    const run = await runCli(['history', 'my', '--kubeconfig', kubeconfig, '--kube-context', 'y', '--context', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'Error [USAGE]: --kube-context and --context are the same option, given different values',
    );
    const same = await runCli(['history', 'my', '--kubeconfig', kubeconfig, '--kube-context', 'y', '--context', 'y']);
    expect(same.stderr).toContain('(context y)');
  });

  test('--rollback-on-failure is --atomic, --take-ownership is --adopt', async () => {
    const parse = async (args: string[]) => {
      let flags: OperationFlagValues | undefined;
      const cmd = addOperationFlags(addClusterFlags(new Command('x'))).action(
        (f: OperationFlagValues) => void (flags = f),
      );
      await cmd.parseAsync(args, { from: 'user' });
      return operationOptions(flags!, undefined, undefined);
    };
    expect(await parse([])).toMatchObject({ atomic: false, adopt: false, wait: true });
    expect(await parse(['--rollback-on-failure', '--take-ownership', '--wait-for-jobs'])).toMatchObject({
      atomic: true,
      adopt: true,
      wait: true,
    });
    expect(await parse(['--atomic', '--rollback-on-failure'])).toMatchObject({ atomic: true });
  });

  test('--help shows the Helm names', async () => {
    const run = await runCli(['upgrade', '--help']);
    for (const text of [
      "--kube-context <name>  Helm's name for --context",
      "--rollback-on-failure  Helm's name for --atomic",
      '--take-ownership',
      '--wait-for-jobs',
    ]) {
      expect(run.stdout.replace(/\s+/g, ' ')).toContain(text.replace(/\s+/g, ' '));
    }
  });
});

describe('KC_NAMESPACE and KC_KUBECONTEXT', () => {
  test('KC_NAMESPACE replaces the context namespace; -n wins; an empty one is ignored', async () => {
    const env = await withEnv({ KC_NAMESPACE: 'team' }, dryRun);
    expect(env.stderr).toBe('');
    expect(namespaces(env.stdout)).toEqual(['team']);
    expect(namespaces((await withEnv({ KC_NAMESPACE: 'team' }, [...dryRun, '-n', 'flag'])).stdout)).toEqual(['flag']);
    expect(namespaces((await withEnv({ KC_NAMESPACE: '' }, dryRun)).stdout)).toEqual(['ns-x']);
  }, 60_000);

  // It would go into request paths.
  test('a KC_NAMESPACE that is not a namespace name is a usage error naming it', async () => {
    const run = await withEnv({ KC_NAMESPACE: '../kube-system' }, dryRun);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('KC_NAMESPACE="../kube-system" is not a namespace name');
  }, 60_000);

  test('KC_KUBECONTEXT replaces the current context; --context and --kube-context win', async () => {
    expect(namespaces((await withEnv({ KC_KUBECONTEXT: 'y' }, dryRun)).stdout)).toEqual(['ns-y']);
    expect(namespaces((await withEnv({ KC_KUBECONTEXT: 'y' }, [...dryRun, '--context', 'x'])).stdout)).toEqual([
      'ns-x',
    ]);
    const run = await withEnv({ KC_KUBECONTEXT: 'y' }, [
      'history',
      'my',
      '--kubeconfig',
      kubeconfig,
      '--kube-context',
      'x',
    ]);
    expect(run.stderr).toContain('(context x)');
    expect((await withEnv({ KC_KUBECONTEXT: '' }, ['history', 'my', '--kubeconfig', kubeconfig])).stderr).toContain(
      '(context x)',
    );
  }, 60_000);
});

describe('kc search KEYWORD', () => {
  const t = tempDir('kc-cli-search-');
  afterAll(() => t.remove());
  const http = memoryHttp();
  const URL_ = 'http://127.0.0.1:8879/charts';
  const ctx = {
    cacheDir: path.join(t.dir, 'cache'),
    configDir: path.join(t.dir, 'config'),
    http,
    clock: fixedClock('2026-04-01T10:00:00.000Z'),
  };
  const kc = (args: string[]) => runCli(args, { cwd: t.dir, ctx });

  beforeAll(async () => {
    writeChart(path.join(t.dir, 'mysql'), { name: 'mysql', keywords: ['sql'], description: 'A database.' });
    writeChart(path.join(t.dir, 'web'), { name: 'web', description: 'A web server.' });
    for (const chart of ['mysql', 'web']) expect((await kc(['package', chart, '-d', 'site'])).stderr).toBe('');
    expect((await kc(['repo', 'index', 'site', '--url', URL_])).code).toBe(0);
    serveDir(http, path.join(t.dir, 'site'), URL_);
    expect((await kc(['repo', 'add', 'stable', URL_])).code).toBe(0);
  }, 60_000);

  test('kc search mysql prints what kc search repo mysql prints', async () => {
    const run = await kc(['search', 'mysql']);
    expect(run.stdout).toBe(
      'NAME           CHART VERSION   APP VERSION   DESCRIPTION\nstable/mysql   0.1.0                         A database.\n',
    );
    expect(run).toEqual(await kc(['search', 'repo', 'mysql']));
    const json = JSON.parse((await kc(['search', 'web', '-o', 'json'])).stdout);
    expect(json.map((h: { name: string }) => h.name)).toEqual(['stable/web']);
  });
});

describe('a version-like value YAML made a number', () => {
  test('the VALUES_INVALID detail says to quote it', async () => {
    const values = path.join(dir, 'values.yaml');
    fs.writeFileSync(values, 'image:\n  tag: 1.10\n');
    const run = await runCli(['template', 'db', 'charts/mysql', '--set', 'rootPassword=root', '-f', values]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Error [VALUES_INVALID]');
    expect(run.stderr).toMatch(
      /image\.tag: expected string, received number \(set by [^)]*\); if YAML wrote it, quote it: tag: 1\.10 is the number 1\.1, tag: "1\.10" is text/,
    );
  }, 60_000);
});
