// Shell completion of release names, namespaces and contexts against the real cluster, through the built kc
// (dist/: `npm run -s build` first), so a socket or timer left open would show as a process that does not end.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { kcIn } from './helpers/kc.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';
import { closedPortKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { repoRoot } from '../helpers/run-cli.js';

const KC = path.join(repoRoot, 'bin/kc.cjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built `kc __complete -- WORDS` as the shell would (stdin /dev/null), killed after 10 s. */
function completeProcess(words: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [KC, '__complete', '--', ...words],
      { cwd: os.tmpdir(), env: { ...process.env, ...env }, timeout: 10_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr, ms: Date.now() - started });
      },
    );
    child.stdin?.end();
  });
}

/** The candidates printed, after checking the run ended well and printed no error. */
async function candidates(words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const run = await completeProcess(words, env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

let ns: TestNamespace;
let charts: TempProject;
const K = () => kubeconfigPath();

beforeAll(async () => {
  if (!fs.existsSync(path.join(repoRoot, 'dist/kc.cjs'))) throw new Error('dist/ is missing: run `npm run -s build`');
  ns = await freshNamespace('complete');
  charts = tempProject({ 'maps/index.ts': CONFIG_CHART });
  for (const name of ['alpha', 'beta']) {
    const run = await kcIn(ns.name, ['install', name, `${charts.dir}/maps`, '--set', 'maps.a.k=v', '--no-wait']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await ns?.cleanup();
  charts?.remove();
});

describe('release names', () => {
  test('status completes the releases of the namespace -n names; a prefix filters them', async () => {
    expect(await candidates(['status', '--kubeconfig', K(), '-n', ns.name, ''])).toEqual(['alpha', 'beta']);
    expect(await candidates(['status', '--kubeconfig', K(), '-n', ns.name, 'al'])).toEqual(['alpha']);
    expect(await candidates(['status', '--kubeconfig', K(), '-n', ns.name, 'x'])).toEqual([]);
  });

  test('other release commands, --namespace=NS, and KC_NAMESPACE when no -n is typed', async () => {
    const both = ['alpha', 'beta'];
    expect(await candidates(['get', 'values', `--namespace=${ns.name}`, '--kubeconfig', K(), ''])).toEqual(both);
    expect(await candidates(['history', '--kubeconfig', K(), ''], { KC_NAMESPACE: ns.name })).toEqual(both);
    expect(await candidates(['rollback', '-n', ns.name, '--kubeconfig', K(), 'b'])).toEqual(['beta']);
    // A release already named is not offered again.
    expect(await candidates(['uninstall', '-n', ns.name, '--kubeconfig', K(), 'alpha', ''])).toEqual(['beta']);
    // Another namespace has other releases; a new release name is not completed.
    expect(await candidates(['status', '--kubeconfig', K(), '-n', 'kube-system', ''])).toEqual([]);
    expect(await candidates(['install', '--kubeconfig', K(), '-n', ns.name, 'a'])).toEqual([':files']);
  });

  test('through bash: the completion script offers the releases', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bin-'));
    fs.writeFileSync(path.join(bin, 'kc'), `#!/bin/sh\nexec "${process.execPath}" "${KC}" "$@"\n`, { mode: 0o755 });
    const script = path.join(bin, 'kc.bash');
    const made = await completeScript();
    fs.writeFileSync(script, made);
    const words = ['kc', 'status', '--kubeconfig', K(), '-n', ns.name, 'b'];
    const line =
      `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; ` +
      `_kc_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    expect(out.split('\n').filter(Boolean)).toEqual(['beta']);
  });
});

/** The bash script the built kc prints. */
async function completeScript(): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [KC, 'completion', 'bash'], (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
}

describe('namespaces and contexts', () => {
  test('-n completes the namespaces of the cluster', async () => {
    expect(await candidates(['status', '--kubeconfig', K(), '-n', ''])).toEqual(
      expect.arrayContaining([ns.name, 'default', 'kube-system']),
    );
    expect(await candidates(['list', '--kubeconfig', K(), `--namespace=${ns.name}`])).toEqual([
      `--namespace=${ns.name}`,
    ]);
  });

  test('--kube-context and --context complete the kubeconfig contexts', async () => {
    const contexts = makeKubeConfig()
      .getContexts()
      .map((c) => c.name)
      .sort();
    expect(contexts.length).toBeGreaterThan(0);
    expect(await candidates(['status', '--kubeconfig', K(), '--kube-context', ''])).toEqual(contexts);
    expect(await candidates(['history', '--kubeconfig', K(), '--context', ''])).toEqual(contexts);
  });
});

describe('an unreachable cluster', () => {
  test('offers nothing, quickly, with exit 0 and no error', async () => {
    const kubeconfig = closedPortKubeconfig();
    for (const words of [
      ['status', '--kubeconfig', kubeconfig, '-n', 'ns', ''],
      ['status', '--kubeconfig', kubeconfig, '-n', ''],
      ['get', 'manifest', '--kubeconfig', kubeconfig, 'a'],
    ]) {
      const run = await completeProcess(words);
      expect({ words, code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        words,
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(run.ms).toBeLessThan(2500);
    }
  });

  test('a server that accepts and never answers: the process ends at the 2 s deadline, offering nothing', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const kubeconfig = closedPortKubeconfig();
      const { port } = silent.address() as net.AddressInfo;
      fs.writeFileSync(kubeconfig, fs.readFileSync(kubeconfig, 'utf8').replace('127.0.0.1:1', `127.0.0.1:${port}`));
      const run = await completeProcess(['history', '--kubeconfig', kubeconfig, '-n', 'ns', '']);
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(sockets.length).toBeGreaterThan(0);
      expect(run.ms).toBeGreaterThanOrEqual(1900);
      expect(run.ms).toBeLessThan(4000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
