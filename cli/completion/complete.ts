// The answers of `kc __complete -- <words…>`, which the completion scripts call on each Tab: candidates one a line,
// then `:files` or `:dirs` when the shell should add paths too. Derived from the commander tree, so it follows it.
import path from 'node:path';
import type { Command, Option } from 'commander';
import type { KcContext } from '../../src/context.js';
import { PROJECT_FILES } from '../../src/config/project-files.js';
import { clusterWords, isReleaseArgument, talksToCluster } from './cluster-words.js';
import { findOption, readWords, visibleCommands, type TypedWords } from './words.js';

/** What to offer for the word being completed. */
export interface Completion {
  candidates: string[];
  paths?: 'files' | 'dirs';
}

/** Flags whose value is a file or a folder on disk. */
const FILE_FLAGS = new Set(['--kubeconfig', '--values', '--file', '--key', '--ca-file', '--cert-file', '--key-file']);
const DIR_FLAGS = new Set(['--output-dir', '--destination', '--dir']);

const takesValue = (opt: Option) => opt.required || opt.optional;

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
  const typed = readWords(program, words.slice(0, -1));
  const { cmd, positionals, pending } = typed;
  const match = (list: string[]) => list.filter((c) => c.startsWith(current));
  if (pending) return valueCompletion(pending, ctx, typed, match);
  if (current.startsWith('--') && current.includes('=')) {
    const opt = findOption(cmd, current);
    if (!opt || !takesValue(opt)) return { candidates: [] };
    const prefix = `${current.split('=')[0]}=`;
    const value = await valueCompletion(opt, ctx, typed, (l) =>
      l.filter((c) => c.startsWith(current.slice(prefix.length))),
    );
    return { candidates: value.candidates.map((c) => prefix + c) };
  }
  if (current.startsWith('-')) return { candidates: match(longFlags(cmd)) };
  if (isReleaseArgument(cmd, positionals.length)) {
    // Loaded only here: the cluster code is not part of completing anything else.
    const { completeReleases } = await import('./cluster-candidates.js');
    // `kc uninstall a b`: a release already named is not offered again.
    const releases = await completeReleases(ctx, clusterWords(typed.values));
    return { candidates: match(releases.filter((r) => !positionals.includes(r))) };
  }
  const subs = positionals.length === 0 ? visibleCommands(cmd).map((c) => c.name()) : [];
  // Arguments are mostly chart folders, packages and files: the shell offers paths for them.
  const takesArgs = cmd.registeredArguments.length > positionals.length || cmd.registeredArguments.at(-1)?.variadic;
  return { candidates: match(subs), ...(takesArgs ? { paths: 'files' as const } : {}) };
}

async function valueCompletion(
  opt: Option,
  ctx: KcContext,
  typed: TypedWords,
  match: (list: string[]) => string[],
): Promise<Completion> {
  const long = opt.long ?? '';
  // The value's name in the help (`--output <dir>`, `--kubeconfig <file>`) says what it is.
  const valueName = /[<[]([\w-]+)/.exec(opt.flags)?.[1] ?? '';
  if (long === '--env') return { candidates: match(await environmentNames(ctx, typed.positionals)) };
  if (talksToCluster(typed.cmd) && ['--namespace', '--context', '--kube-context'].includes(long)) {
    const { completeContexts, completeNamespaces } = await import('./cluster-candidates.js');
    const words = clusterWords(typed.values);
    // The namespace being typed selects nothing yet: the kubeconfig's context lists them.
    if (long === '--namespace')
      return { candidates: match(await completeNamespaces(ctx, { ...words, namespace: undefined })) };
    return { candidates: match(completeContexts(words)) };
  }
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
