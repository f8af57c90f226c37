import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { closedPortKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { KC_VERSION } from '../../cli/version.js';

const kubeconfig = closedPortKubeconfig();
const unreachable = 'cannot reach the Kubernetes API server at https://127.0.0.1:1';

describe('kc version', () => {
  test('prints the client and says the server is unreachable, exiting 0', async () => {
    const run = await runCli(['version', '--kubeconfig', kubeconfig]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [client, server] = run.stdout.trimEnd().split('\n');
    expect(client).toBe(`Client: v${KC_VERSION} (node ${process.version}, ${process.platform}/${process.arch})`);
    expect(server).toMatch(/^Server: unreachable \(.+\)$/);
    expect(server).toContain(unreachable);
  });

  test('--short prints only the version, without contacting a cluster', async () => {
    const run = await runCli(['version', '--short', '--kubeconfig', kubeconfig]);
    expect(run).toEqual({ code: 0, stdout: `v${KC_VERSION}\n`, stderr: '' });
  });

  test('-o json has the stable shape', async () => {
    const run = await runCli(['version', '-o', 'json', '--kubeconfig', kubeconfig]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['client', 'server', 'serverError']);
    expect(report.client).toEqual({
      version: KC_VERSION,
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
    });
    expect(report.server).toBeNull();
    expect(report.serverError).toContain(unreachable);
  });

  test('kc --version still prints the bare version', async () => {
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${KC_VERSION}\n`, stderr: '' });
  });
});

/** What `kc __complete -- <words…>` prints, as lines. */
async function completeWords(words: string[], cwd?: string): Promise<string[]> {
  const run = await runCli(['__complete', '--', ...words], { cwd });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

describe('kc __complete', () => {
  test('completes command names', async () => {
    expect(await completeWords(['dep'])).toEqual(['deploy', 'dependency']);
    expect(await completeWords(['vers'])).toEqual(['version']);
    expect(await completeWords(['compl'])).toEqual(['completion']);
  });

  test('completes long flags of the command', async () => {
    expect(await completeWords(['deploy', '--e'])).toContain('--env');
    expect(await completeWords(['deploy', '--e'])).not.toContain('--help');
    expect(await completeWords(['version', '--'])).toEqual(
      expect.arrayContaining(['--short', '--output', '--kubeconfig', '--help']),
    );
  });

  test('completes subcommands', async () => {
    expect(await completeWords(['repo', ''])).toEqual(expect.arrayContaining(['add', 'list']));
  });

  test('asks the shell for paths where a chart argument goes, and for --kubeconfig', async () => {
    expect((await completeWords(['deploy', ''])).at(-1)).toBe(':files');
    expect(await completeWords(['deploy', 'x', '--kubeconfig', ''])).toEqual([':files']);
    expect(await completeWords(['synth', '--output-dir', ''])).toEqual([':dirs']);
    expect(await completeWords(['synth', '-o', ''])).toEqual(['table', 'json', 'yaml']);
    expect(await completeWords(['version', '-o', 'j'])).toEqual(['json']);
  });

  test("completes --env with the project's environment names", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-complete-'));
    fs.writeFileSync(
      path.join(dir, 'kc.config.ts'),
      "export default { app: './app.ts', environments: { dev: { namespace: 'dev' }, prod: { namespace: 'prod' } } };\n",
    );
    expect(await completeWords(['deploy', '--env', ''], dir)).toEqual(['dev', 'prod']);
    expect(await completeWords(['deploy', '--env=p'], dir)).toEqual(['--env=prod']);
  });

  test('the hidden command is not listed', async () => {
    expect(await completeWords(['__'])).toEqual([]);
    const help = await runCli(['--help']);
    expect(help.stdout).not.toContain('__complete');
  });
});

/** The script `kc completion <shell>` prints, written to a file. */
async function scriptFile(shell: string): Promise<string> {
  const run = await runCli(['completion', shell]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-completion-')), `kc.${shell}`);
  fs.writeFileSync(file, run.stdout);
  return file;
}

/** Runs `shell` with `args`; a missing shell fails the test (.ci/run installs zsh and fish). */
function runShell(shell: string, args: string[]): string {
  const which = spawnSync('sh', ['-c', `command -v ${shell}`]);
  if (which.status !== 0)
    throw new Error(`${shell} is not installed: install it (apt-get install -y zsh fish) to test its completion`);
  return execFileSync(shell, args, { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
}

describe('kc completion', () => {
  test('bash: the script parses and registers the completion function', async () => {
    const file = await scriptFile('bash');
    runShell('bash', ['-n', file]);
    expect(runShell('bash', ['-c', `source ${file}; complete -p kc`]).trim()).toBe('complete -F _kc_complete kc');
  });

  test('zsh: the script parses and registers _kc after compinit', async () => {
    const file = await scriptFile('zsh');
    runShell('zsh', ['-n', file]);
    const out = runShell('zsh', [
      '-f',
      '-c',
      `autoload -U compinit && compinit -u -D; source ${file}; print -r -- $_comps[kc]`,
    ]);
    expect(out.trim()).toBe('_kc');
  });

  test('fish: the script parses and registers the completion', async () => {
    const file = await scriptFile('fish');
    runShell('fish', ['--no-execute', file]);
    const out = runShell('fish', ['--no-config', '-c', `source ${file}; complete -c kc`]);
    expect(out).toContain("complete --no-files kc -a '(__kc_complete)'");
  });

  test('an unknown shell is a usage error', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no completion for shell "tcsh"');
  });
});
