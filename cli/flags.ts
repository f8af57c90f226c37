import type { Command } from 'commander';
import type { SetFlag } from '../src/values/index.js';

/** The value flags shared by every command that renders charts, collected in command-line order. */
export interface ValueFlags {
  valuesFiles: string[];
  sets: SetFlag[];
}

/** Adds -f/--values and the --set family to a command; returns the object they fill. */
export function addValueFlags(cmd: Command): ValueFlags {
  const flags: ValueFlags = { valuesFiles: [], sets: [] };
  const collect = (kind: SetFlag['kind']) => (text: string) => {
    flags.sets.push({ kind, text });
    return undefined;
  };
  cmd
    .option('-f, --values <file>', 'values file (YAML or JSON; - reads stdin), repeatable', (f: string) => {
      flags.valuesFiles.push(f);
      return undefined;
    })
    .option('--set <key=value>', 'set values, typed by the chart schema (a string field keeps 1194495 as text), repeatable', collect('set'))
    .option('--set-string <key=value>', 'set values as strings, repeatable', collect('set-string'))
    .option('--set-json <key=json>', 'set values from JSON, repeatable', collect('set-json'))
    .option('--set-file <key=path>', 'set a value to the contents of a file, repeatable', collect('set-file'))
    .option('--set-literal <key=value>', 'set one value to the literal text after the first "=", repeatable', collect('set-literal'));
  return flags;
}
