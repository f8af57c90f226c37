// The words typed before the one being completed, read as commander would: the (sub)command they reach, its
// arguments so far, the flags given with their values, and a flag still waiting for its value.
import type { Command, Option } from 'commander';

/** What the words before the completed one say. */
export interface TypedWords {
  /** The deepest command the words name. */
  cmd: Command;
  /** Its arguments so far (words that are neither flags, flag values nor subcommand names). */
  positionals: string[];
  /** A flag whose value is the word being completed (`-n <Tab>`). */
  pending?: Option;
  /** The value of each flag given, by its long name (the last one wins, as in commander). */
  values: Map<string, string>;
}

/** The commands below `cmd` that help lists. */
export const visibleCommands = (cmd: Command): Command[] =>
  cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);

/** The option `word` names: `--flag`, `--flag=value`, `-f` or `-fvalue`. */
export function findOption(cmd: Command, word: string): Option | undefined {
  const flag = word.startsWith('--') ? word.split('=')[0] : word.slice(0, 2);
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

function findCommand(cmd: Command, word: string): Command | undefined {
  return visibleCommands(cmd).find((c) => c.name() === word || c.aliases().includes(word));
}

/** Reads `words` (those after `kc`, without the one being completed) against `program`. */
export function readWords(program: Command, words: readonly string[]): TypedWords {
  let cmd = program;
  const positionals: string[] = [];
  const values = new Map<string, string>();
  let pending: Option | undefined;
  for (const word of words) {
    if (pending) {
      if (pending.long) values.set(pending.long, word);
      pending = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const opt = findOption(cmd, word);
      if (!opt) continue;
      // A value given in the same word (--env=dev, -fvalues.yaml) leaves the next word alone.
      const attached = word.startsWith('--') ? word.indexOf('=') : word.length > 2 ? 2 : -1;
      if (opt.required && attached < 0) pending = opt;
      else if (attached >= 0 && opt.long && (opt.required || opt.optional)) {
        values.set(opt.long, word.slice(attached + (word[attached] === '=' ? 1 : 0)));
      }
      continue;
    }
    const sub = positionals.length === 0 ? findCommand(cmd, word) : undefined;
    if (sub) cmd = sub;
    else positionals.push(word);
  }
  return { cmd, positionals, pending, values };
}
