import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main.js';
import { readWords } from '../../cli/completion/words.js';
import { clusterWords, isReleaseArgument } from '../../cli/completion/cluster-words.js';
import { completeContexts, completeNamespaces, completeReleases } from '../../cli/completion/cluster-candidates.js';
import { nodeFileSystem } from '../../src/io/file-system.js';
import type { KcContext } from '../../src/context.js';
import { closedPortExecKubeconfig, closedPortKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';

const ctx = { cwd: repoRoot, fs: nodeFileSystem } as unknown as KcContext;
const program: Command = buildProgram({ stdout: () => true, stderr: () => true, isTTY: false, ctx } as never);

/** The cluster flags `words` give (the word being completed left out by the caller). */
const picked = (...words: string[]) => clusterWords(readWords(program, words).values);

describe('reading the typed words', () => {
  test('reaches the subcommand and keeps its arguments apart from flag values', () => {
    const typed = readWords(program, ['get', 'values', '-n', 'ns', 'web', '--revision', '2']);
    expect(typed.cmd.name()).toBe('values');
    expect(typed.cmd.parent?.name()).toBe('get');
    expect(typed.positionals).toEqual(['web']);
    expect(typed.pending).toBeUndefined();
  });

  test('a flag waiting for its value is pending; a boolean flag takes no word', () => {
    expect(readWords(program, ['status', '-n']).pending?.long).toBe('--namespace');
    expect(readWords(program, ['status', '--kube-context']).pending?.long).toBe('--kube-context');
    const typed = readWords(program, ['status', '--show-notes', 'web']);
    expect(typed.pending).toBeUndefined();
    expect(typed.positionals).toEqual(['web']);
    expect(typed.values.has('--show-notes')).toBe(false);
  });

  test('picks --kubeconfig, -n/--namespace and --context/--kube-context, separate or attached', () => {
    expect(picked('status', '--kubeconfig', 'k', '-n', 'ns', '--context', 'c')).toEqual({
      kubeconfig: 'k',
      namespace: 'ns',
      context: 'c',
    });
    expect(picked('history', '--kubeconfig=k', '--namespace=ns', '--kube-context=c')).toEqual({
      kubeconfig: 'k',
      namespace: 'ns',
      context: 'c',
    });
    expect(picked('uninstall', '-nns', 'a')).toEqual({ namespace: 'ns' });
    expect(picked('rollback', '-n=ns')).toEqual({ namespace: 'ns' });
  });

  test('the last value of a flag wins; --context wins over --kube-context; empty values select nothing', () => {
    expect(picked('status', '-n', 'a', '--namespace', 'b')).toEqual({ namespace: 'b' });
    expect(picked('status', '--kube-context', 'helm', '--context', 'kc')).toEqual({ context: 'kc' });
    expect(picked('status', '-n', '', '--kubeconfig', '')).toEqual({});
  });

  test('--env and --project come along (the environment names the cluster); ~/ is expanded', () => {
    expect(picked('status', '--env', 'prod', '--project', 'app', '--kubeconfig', '~/k')).toEqual({
      env: 'prod',
      project: 'app',
      kubeconfig: path.join(os.homedir(), 'k'),
    });
  });

  test('flags of another command are not taken for the cluster flags', () => {
    // template's -n names a namespace for rendering, and template has no --kubeconfig.
    expect(picked('template', '--kubeconfig', 'k')).toEqual({});
  });
});

describe('which arguments are releases of the cluster', () => {
  const at = (words: string[], index: number) => isReleaseArgument(readWords(program, words).cmd, index);

  test('the release argument of the commands that act on a release', () => {
    for (const words of [['status'], ['history'], ['rollback'], ['uninstall'], ['upgrade'], ['test']]) {
      expect([words, at(words, 0)]).toEqual([words, true]);
    }
    for (const sub of ['values', 'manifest', 'notes', 'hooks', 'all', 'metadata'])
      expect(at(['get', sub], 0)).toBe(true);
  });

  test('every argument of uninstall, the first only of rollback, upgrade and test', () => {
    expect(at(['uninstall'], 3)).toBe(true);
    expect(at(['rollback'], 1)).toBe(false);
    expect(at(['upgrade'], 1)).toBe(false);
    expect(at(['test'], 1)).toBe(false);
    expect(at(['status'], 1)).toBe(false);
  });

  test('not a new name, a release without a cluster, a Helm release or a project', () => {
    expect(at(['install'], 0)).toBe(false);
    expect(at(['template'], 0)).toBe(false);
    expect(at(['adopt', 'helm'], 0)).toBe(false);
    expect(at(['diff'], 0)).toBe(false);
    expect(at(['synth'], 0)).toBe(false);
  });
});

describe('candidates from the kubeconfig and the cluster', () => {
  let silent: net.Server;
  let silentKubeconfig: string;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers: only the deadline ends a request to it.
    silent = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    silentKubeconfig = closedPortKubeconfig();
    fs.writeFileSync(
      silentKubeconfig,
      fs.readFileSync(silentKubeconfig, 'utf8').replace('127.0.0.1:1', `127.0.0.1:${port}`),
    );
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  test('kube contexts come from the kubeconfig, sorted; an unreadable one offers none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-contexts-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: b\n' +
        'contexts: [{ name: b, context: { cluster: c } }, { name: a, context: { cluster: c } }]\n',
    );
    expect(completeContexts({ kubeconfig: file })).toEqual(['a', 'b']);
    expect(completeContexts({ kubeconfig: path.join(dir, 'missing') })).toEqual([]);
    fs.writeFileSync(file, 'contexts: 3\n');
    expect(completeContexts({ kubeconfig: file })).toEqual([]);
  });

  test('a closed port offers no releases and no namespaces, at once', async () => {
    const kubeconfig = closedPortKubeconfig();
    const started = Date.now();
    expect(await completeReleases(realCtx(), { kubeconfig })).toEqual([]);
    expect(await completeNamespaces(realCtx(), { kubeconfig })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a server that never answers offers nothing once the deadline passes', async () => {
    const started = Date.now();
    expect(await completeReleases(realCtx(), { kubeconfig: silentKubeconfig }, 300)).toEqual([]);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
  });

  test('kc __complete on a silent cluster: nothing offered within the 2 s deadline, exit 0, no error', async () => {
    const started = Date.now();
    const run = await runCli(['__complete', '--', 'status', '--kubeconfig', silentKubeconfig, '']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    const ns = await runCli(['__complete', '--', 'status', '--kubeconfig', silentKubeconfig, '-n', '']);
    expect(ns).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('kc __complete ends once it answered, not when the exec credential plugin it gave up on does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-complete-exec-'));
    // Waits for input kc never gives (as a plugin asking for a login would); it ends when kc's end closes its stdin.
    const plugin = path.join(dir, 'waiting-plugin.sh');
    fs.writeFileSync(plugin, '#!/bin/sh\nread line\n', { mode: 0o755 });
    const kubeconfig = closedPortExecKubeconfig(path.join(dir, 'kubeconfig'), plugin);
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/kc.cjs'), '__complete', '--', 'status', '--kubeconfig', kubeconfig, ''],
      {
        encoding: 'utf8',
        timeout: 15_000,
        killSignal: 'SIGKILL',
        env: { ...process.env, KC_CACHE_DIR: path.join(dir, 'cache') },
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.signal).toBeNull(); // ended by itself, not killed at the 15 s timeout (kc outlives a SIGTERM there)
    const { status, stdout, stderr } = run;
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  }, 30_000);

  test('a missing kubeconfig offers nothing and prints no error', async () => {
    const run = await runCli(['__complete', '--', 'history', '--kubeconfig', '/nonexistent/kubeconfig', '']);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

/** A context over the real disk; completion connects with its own deadline, so `connect` is never used. */
function realCtx(): KcContext {
  return { ...ctx, connect: () => Promise.reject(new Error('not used')) } as KcContext;
}
