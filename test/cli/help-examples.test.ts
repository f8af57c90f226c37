import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main.js';
import { commandPath, ENV_HELP, GLOBAL_ENV, HELP_EXTRAS, visibleCommands } from '../../cli/help-examples.js';
import { nodeFileSystem } from '../../src/io/file-system.js';
import type { KcContext } from '../../src/context.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';

/** The real command tree; `ran` records the path of the command whose action a parse reached, never running it. */
function tree(): { program: Command; ran: string[] } {
  const ran: string[] = [];
  const ctx = { cwd: repoRoot, fs: nodeFileSystem } as unknown as KcContext;
  const program = buildProgram({ stdout: () => true, stderr: () => true, isTTY: false, ctx } as never);
  for (const cmd of [program, ...visibleCommands(program)]) {
    cmd.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    // Commands with subcommands and no action of their own keep none (commander then shows their help).
    if ((cmd as unknown as { _actionHandler?: unknown })._actionHandler)
      cmd.action(() => void ran.push(commandPath(cmd)));
  }
  return { program, ran };
}

/** The words of an example up to its comment or redirection, as a POSIX shell splits them (quotes removed). */
function words(example: string): string[] {
  const line = example.replace(/\s+#\s.*$/, '').replace(/\s[<>|].*$/, '');
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const { program } = tree();
const paths = ['', ...visibleCommands(program).map(commandPath)];

describe('--help examples', () => {
  test('the tree is walked: nested and default commands are in it, hidden ones are not', () => {
    expect(paths).toEqual(expect.arrayContaining(['install', 'get values', 'repo add', 'search repo', 'adopt helm']));
    expect(paths).not.toContain('__complete');
    expect(paths.length).toBeGreaterThan(50);
  });

  test('every command has 1-4 examples, each starting with `kc <its path>`; no entry for a missing command', () => {
    for (const p of paths) {
      const extra = HELP_EXTRAS[p];
      expect({ command: p, has: Boolean(extra) }).toEqual({ command: p, has: true });
      expect(extra.examples.length).toBeGreaterThanOrEqual(1);
      expect(extra.examples.length).toBeLessThanOrEqual(4);
      for (const example of extra.examples)
        expect(`${example} `.startsWith(`kc ${p} `.replace('kc  ', 'kc '))).toBe(true);
    }
    expect(Object.keys(HELP_EXTRAS).filter((p) => !paths.includes(p))).toEqual([]);
  });

  test.each(paths)('kc %s: each example parses as that command, with flags and arguments it takes', async (p) => {
    for (const example of HELP_EXTRAS[p].examples) {
      const t = tree();
      await t.program.parseAsync(words(example).slice(1), { from: 'user' }).catch((err: Error) => {
        throw new Error(`${example}: ${err.message}`);
      });
      // A group's examples run one of its subcommands (kc search KEYWORD runs search repo, its default).
      expect({ example, ran: t.ran.length === 1 && (p === '' || `${t.ran[0]} `.startsWith(`${p} `)) }).toEqual({
        example,
        ran: true,
      });
    }
  });

  test('--help shows them, with the environment the command reads', async () => {
    const install = await runCli(['install', '--help']);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('Examples:\n  kc install my charts/mysql --set rootPassword=root\n');
    expect(install.stdout).toMatch(/\n {2}KUBECONFIG +kubeconfig files/);
    expect(install.stdout).toContain('also NO_COLOR, FORCE_COLOR, KC_CACHE_DIR, KC_DEBUG');
    const getValues = await runCli(['get', 'values', '--help']);
    expect(getValues.stdout).toContain('  kc get values my --all -o json\n');
    const root = await runCli(['--help']);
    expect(root.stdout).toMatch(/Environment \(every command\):\n {2}NO_COLOR +any value: no colour/);
    expect(root.stdout).toContain('  KC_CACHE_DIR ');
  });
});

/** kc's own sources, but not the help table (a name there proves nothing). */
const sources = ['src', 'cli']
  .flatMap((dir) =>
    fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)),
  )
  .filter((f) => f.endsWith('.ts') && f !== path.join('cli', 'help-examples.ts'))
  .map((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8'))
  .join('\n');

/** Variables the code reads that --help leaves out on purpose: the platform's own, or set by Kubernetes. */
const UNDOCUMENTED = [
  'PATH',
  'HOME',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_RUNTIME_DIR',
  'HELM_CONFIG_HOME',
  'REQUEST_METHOD',
  'KUBERNETES_SERVICE_HOST',
];

describe('--help environment variables', () => {
  test('every variable named in help (listed or in a description) is one the code reads', () => {
    const named = new Set([
      ...Object.keys(ENV_HELP),
      ...Object.values(ENV_HELP).flatMap((d) => d.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
    ]);
    const unread = [...named].filter((n) => !new RegExp(`\\.${n}\\b|['"\`]${n}['"\`]`).test(sources));
    expect(unread).toEqual([]);
  });

  test('each command lists only described variables, and each described one is listed somewhere', () => {
    const listed = new Set([...GLOBAL_ENV, ...Object.values(HELP_EXTRAS).flatMap((e) => e.env)]);
    expect([...listed].filter((n) => !(n in ENV_HELP))).toEqual([]);
    expect(Object.keys(ENV_HELP).filter((n) => !listed.has(n))).toEqual([]);
  });

  test('every variable the code reads as env.NAME is in help, or left out on purpose', () => {
    const read = new Set([...sources.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]));
    const mentioned = Object.keys(ENV_HELP).join(' ') + ' ' + Object.values(ENV_HELP).join(' ');
    expect([...read].filter((n) => !new RegExp(`\\b${n}\\b`).test(mentioned) && !UNDOCUMENTED.includes(n))).toEqual([]);
  });
});
