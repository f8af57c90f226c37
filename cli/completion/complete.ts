// The answers of `kc __complete -- <words…>`, which the completion scripts call on each Tab: candidates one a line,
// then `:files` or `:dirs` when the shell should add paths too. Derived from the commander tree, so it follows it.
import path from 'node:path';
import type { Command, Option } from 'commander';
import type { KcContext } from '../../src/context.js';
import { PROJECT_FILES } from '../../src/config/project-files.js';

/** What to offer for the word being completed. */
export interface Completion {
  candidates: string[];
  paths?: 'files' | 'dirs';
}

/** Flags whose value is a file or a folder on disk. */
const FILE_FLAGS = new Set(['--kubeconfig', '--values', '--file', '--key', '--ca-file', '--cert-file', '--key-file']);
const DIR_FLAGS = new Set(['--output-dir', '--destination', '--dir']);

const visible = (cmd: Command): Command[] =>
  cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
const takesValue = (opt: Option) => opt.required || opt.optional;

function findOption(cmd: Command, word: string): Option | undefined {
  const flag = word.split('=')[0];
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

function findCommand(cmd: Command, word: string): Command | undefined {
  return visible(cmd).find((c) => c.name() === word || c.aliases().includes(word));
}

/** The long flags of `cmd`, --help included (it is added by commander at parse time). */
function longFlags(cmd: Command): string[] {
  const flags = cmd.options.filter((o) => !o.hidden && o.long).map((o) => o.long as string);
  return [...new Set([...flags, '--help'])];
}

/** The project's environment names: the folder named by the first argument when it holds a project, else the cwd. */
async function environmentNames(ctx: KcContext, positionals: string[]): Promise<string[]> {
  const dirs = [...positionals.slice(0, 1).map((p) => path.resolve(ctx.cwd, p)), ctx.cwd];
  for (const dir of dirs) {
    const file = PROJECT_FILES.map((f) => path.join(dir, f)).find((f) => ctx.fs.exists(f));
    if (!file) continue;
    try {
      // Loaded only here: bundling a project is the slow part of completing --env.
      const { loadProject } = await import('../../src/config/load-project.js');
      const project = await loadProject(file, ctx.cwd, ctx.cacheDir, ctx.signal);
      return Object.keys(project.config.environments ?? {});
    } catch {
      return [];
    }
  }
  return [];
}

/** What `program` offers after `words` (the words after `kc`; the last one is the one being completed). */
export async function complete(program: Command, words: string[], ctx: KcContext): Promise<Completion> {
  const current = words.at(-1) ?? '';
  let cmd = program;
  const positionals: string[] = [];
  let pending: Option | undefined;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const opt = findOption(cmd, word);
      // A value given in the same word (--env=dev, -fvalues.yaml) leaves the next word alone.
      const attached = word.includes('=') || (!word.startsWith('--') && word.length > 2);
      if (opt?.required && !attached) pending = opt;
      continue;
    }
    const sub = positionals.length === 0 ? findCommand(cmd, word) : undefined;
    if (sub) cmd = sub;
    else positionals.push(word);
  }
  const match = (list: string[]) => list.filter((c) => c.startsWith(current));
  if (pending) return valueCompletion(pending, ctx, positionals, match);
  if (current.startsWith('--') && current.includes('=')) {
    const opt = findOption(cmd, current);
    if (!opt || !takesValue(opt)) return { candidates: [] };
    const prefix = `${current.split('=')[0]}=`;
    const value = await valueCompletion(opt, ctx, positionals, (l) =>
      l.filter((c) => c.startsWith(current.slice(prefix.length))),
    );
    return { candidates: value.candidates.map((c) => prefix + c) };
  }
  if (current.startsWith('-')) return { candidates: match(longFlags(cmd)) };
  const subs = positionals.length === 0 ? visible(cmd).map((c) => c.name()) : [];
  // Arguments are mostly chart folders, packages and files: the shell offers paths for them.
  const takesArgs = cmd.registeredArguments.length > positionals.length || cmd.registeredArguments.at(-1)?.variadic;
  return { candidates: match(subs), ...(takesArgs ? { paths: 'files' as const } : {}) };
}

async function valueCompletion(
  opt: Option,
  ctx: KcContext,
  positionals: string[],
  match: (list: string[]) => string[],
): Promise<Completion> {
  const long = opt.long ?? '';
  // The value's name in the help (`--output <dir>`, `--kubeconfig <file>`) says what it is.
  const valueName = /[<[]([\w-]+)/.exec(opt.flags)?.[1] ?? '';
  if (long === '--env') return { candidates: match(await environmentNames(ctx, positionals)) };
  if (opt.argChoices) return { candidates: match(opt.argChoices) };
  if (DIR_FLAGS.has(long) || /^(dir|folder|directory)$/.test(valueName)) return { candidates: [], paths: 'dirs' };
  if (FILE_FLAGS.has(long) || /^(file|path|chart)$/.test(valueName)) return { candidates: [], paths: 'files' };
  if (long === '--output' && valueName === 'format') return { candidates: match(['table', 'json', 'yaml']) };
  return { candidates: [] };
}

/** The lines `kc __complete` prints. */
export function completionLines(c: Completion): string {
  return [...c.candidates, ...(c.paths ? [`:${c.paths}`] : [])].map((l) => `${l}\n`).join('');
}
