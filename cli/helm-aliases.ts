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

/** Flags of Helm's install and upgrade that kc implements under Helm's names, as commander parses them. */
export interface HelmInstallFlagValues {
  generateName?: boolean;
  dependencyUpdate?: boolean;
  cleanupOnFail?: boolean;
  skipCrds?: boolean;
}

/**
 * Adds Helm's -g/--generate-name (install only), --dependency-update, --cleanup-on-fail and --skip-crds to kc
 * install or upgrade. With -g the release argument is left out: declare the arguments with installArguments.
 */
export function addHelmInstallFlags(cmd: Command, name: 'install' | 'upgrade'): Command {
  if (name === 'install')
    cmd.option('-g, --generate-name', 'name the release <chart>-<unix seconds> (give the chart alone)');
  return cmd
    .option('--dependency-update', "first run `kc dependency update` when the chart directory's kc.lock.json is stale")
    .option('--cleanup-on-fail', 'on failure, delete the objects this operation created (--atomic does more)')
    .option(
      '--skip-crds',
      "apply none of the chart's CRDs; CRDs the release recorded are kept as they are, never pruned",
    );
}

/**
 * Declares `<release> <chart>` (upgrade) or `[name] [chart]` (install, whose -g leaves the name out: not called
 * "release", which flag-check.ts would check as a name before the action knows which argument is the chart).
 */
export function installArguments(cmd: Command, name: 'install' | 'upgrade', chartHelp: string): Command {
  const optional = name === 'install';
  return cmd
    .argument(
      optional ? '[name]' : '<release>',
      optional ? 'release name (left out with --generate-name)' : 'release name',
    )
    .argument(optional ? '[chart]' : '<chart>', chartHelp);
}

/** The release and chart of `kc install`'s arguments: `RELEASE CHART`, or `CHART` alone with --generate-name. */
export function releaseAndChart(
  first: string | undefined,
  second: string | undefined,
  generateName: boolean | undefined,
): { release?: string; chart: string } {
  if (generateName) {
    if (second !== undefined) {
      throw new KcError('USAGE', `--generate-name names the release, and ${first} was given as its name`, {
        hint: 'give the chart alone (kc install -g CHART), or drop --generate-name',
      });
    }
    if (first === undefined)
      throw new KcError('USAGE', 'missing the chart', { hint: 'kc install --generate-name CHART' });
    return { chart: first };
  }
  if (first === undefined || second === undefined) {
    throw new KcError('USAGE', `missing ${first === undefined ? 'the release name and the chart' : 'the chart'}`, {
      hint: 'kc install NAME CHART, or kc install --generate-name CHART',
    });
  }
  return { release: first, chart: second };
}
