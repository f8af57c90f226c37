// Helm's names for flags kc has under its own name. Commander has no option aliases, so each Helm name is a flag
// of its own, folded into kc's option before the action runs: the action sees one value whichever name was typed.
import { Option, type Command } from 'commander';
import { KcError } from '../src/errors/index.js';

/** Declares `flags` (e.g. `--kube-context <name>`) as Helm's name for kc's option `into` (e.g. `context`). */
export function addHelmAlias(cmd: Command, flags: string, into: string): Command {
  const target = cmd.options.find((o) => o.attributeName() === into);
  if (!target) throw new Error(`${flags}: the command has no option ${into}`);
  const alias = new Option(flags, `Helm's name for ${target.long}`);
  cmd.addOption(alias);
  return cmd.hook('preAction', (command) =>
    mergeAlias(command, alias.attributeName(), into, alias.long!, target.long!),
  );
}

/** Folds the alias's value into kc's option; both given with different values is refused. */
export function mergeAlias(cmd: Command, aliasKey: string, into: string, aliasFlag: string, kcFlag: string): void {
  const value: unknown = cmd.getOptionValue(aliasKey);
  if (value === undefined) return;
  const given = cmd.getOptionValueSource(into) === 'cli';
  const current: unknown = cmd.getOptionValue(into);
  if (given && current !== value) {
    throw new KcError('USAGE', `${aliasFlag} and ${kcFlag} are the same option, given different values`, {
      hint: `pass one of them (${aliasFlag} is Helm's name for kc's ${kcFlag})`,
    });
  }
  cmd.setOptionValueWithSource(into, value, 'cli');
}

/** Adds --kube-context (Helm's name for --context); call after the cluster flags. */
export function addHelmClusterAliases(cmd: Command): Command {
  return addHelmAlias(cmd, '--kube-context <name>', 'context');
}

/**
 * Adds --rollback-on-failure (Helm 4's --atomic), --take-ownership (Helm's closest to --adopt) and --wait-for-jobs,
 * which changes nothing: kc's wait already waits for Jobs to complete. Call after the operation flags.
 */
export function addHelmOperationAliases(cmd: Command): Command {
  addHelmAlias(cmd, '--rollback-on-failure', 'atomic');
  addHelmAlias(cmd, '--take-ownership', 'adopt');
  return cmd.option(
    '--wait-for-jobs',
    'accepted for Helm users; changes nothing: --wait already waits for Jobs to complete',
  );
}
