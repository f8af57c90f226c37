import { Option, type Command } from 'commander';
import { DEFAULT_OPERATION } from '../src/actions/operation-defaults.js';
import type { OperationOptions } from '../src/actions/release-operation.js';
import { KcError } from '../src/errors/index.js';
import { parseDuration } from './duration.js';
import { addHelmClusterAliases, addHelmOperationAliases } from './helm-aliases.js';

/** Flags naming the cluster and namespace, as commander parses them. */
export interface ClusterFlagValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  createNamespace?: boolean;
}

/** Adds --kubeconfig, --context (Helm's --kube-context too) and -n/--namespace. */
export function addClusterFlags(cmd: Command, options: { createNamespace?: boolean } = {}): Command {
  cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', "kube context (default: the environment's, else $KC_KUBECONTEXT, else the current one)")
    .option('-n, --namespace <ns>', 'namespace (default: the environment\'s, else $KC_NAMESPACE, else the context\'s)');
  addHelmClusterAliases(cmd);
  if (options.createNamespace) cmd.option('--create-namespace', 'create the namespace if it does not exist');
  return cmd;
}

/** Flags of operations that change a release, as commander parses them. */
export interface OperationFlagValues {
  wait: boolean;
  timeout: string;
  atomic?: boolean;
  forceConflicts?: boolean;
  adopt?: boolean;
  historyMax: string;
  waitForLock?: string | boolean;
  reapply?: boolean;
  forceReplace?: boolean;
  description?: string;
  /** install and upgrade only (helm-aliases.ts addHelmInstallFlags). */
  cleanupOnFail?: boolean;
  skipCrds?: boolean;
}

/**
 * Adds --wait/--no-wait, --timeout, --atomic, --force-conflicts, --force-replace, --adopt, --history-max,
 * --description, --wait-for-lock, and Helm's names for some of them (helm-aliases.ts).
 */
export function addOperationFlags(cmd: Command): Command {
  cmd
    .option('--wait', 'wait until every object is ready', true)
    .option('--no-wait', 'do not wait for readiness')
    .option('--timeout <duration>', 'how long to wait for readiness', '5m')
    .option('--atomic', 'on failure, restore the previous revision (or remove a failed install)')
    .option('--force-conflicts', 'take fields that another field manager owns')
    .option('--force-replace', 'delete and create again objects of the release whose update is refused as immutable')
    .option('--adopt', 'take existing objects that belong to no release into this one')
    .option('--history-max <n>', 'revisions to keep (0 keeps all)', String(DEFAULT_OPERATION.historyMax))
    .option('--description <text>', 'the revision\'s description in history, instead of "Install complete" and the like')
    .addOption(new Option('--wait-for-lock [duration]', 'wait for another operation on the release to finish (default 5m)').preset('5m'));
  return addHelmOperationAliases(cmd);
}

/** Turns parsed operation flags into operation options. */
export function operationOptions(flags: OperationFlagValues, signal: AbortSignal | undefined, onProgress: OperationOptions['onProgress']): OperationOptions {
  const historyMax = parseCount(flags.historyMax, `--history-max ${flags.historyMax}`, 'give how many revisions to keep, e.g. --history-max 10 (0 keeps all)');
  return {
    wait: flags.wait,
    timeoutMs: parseDuration(flags.timeout, '--timeout'),
    atomic: Boolean(flags.atomic),
    force: Boolean(flags.forceConflicts),
    adopt: Boolean(flags.adopt),
    historyMax: historyMax ?? DEFAULT_OPERATION.historyMax,
    waitForLockMs: typeof flags.waitForLock === 'string' ? parseDuration(flags.waitForLock, '--wait-for-lock') : 0,
    reapply: Boolean(flags.reapply),
    forceReplace: Boolean(flags.forceReplace),
    description: parseDescription(flags.description),
    cleanupOnFail: Boolean(flags.cleanupOnFail),
    skipCrds: Boolean(flags.skipCrds),
    signal,
    onProgress,
  };
}

/** A revision number given on the command line; `shown` names it in the error (e.g. `--revision abc`). */
export function parseRevision(text: string | undefined, shown: string): number | undefined {
  if (text === undefined) return undefined;
  // Digits only: Number() would also take 0x10, 1e1, " 3 " and 3.0.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new KcError('USAGE', `${shown} is not a positive whole number`, { hint: 'see `kc history` for revision numbers' });
  return n;
}

/** A count given on the command line (0 or more, digits only); `shown` names it in the error, `hint` says what to give. */
export function parseCount(text: string | undefined, shown: string, hint: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw new KcError('USAGE', `${shown} is not a whole number of 0 or more`, { hint });
  return Number(text);
}

/** Longest --description kept: it is stored in an annotation of each release record and shown in history. */
export const MAX_DESCRIPTION = 1024;

/** A --description, refused when too long to be a history line. */
export function parseDescription(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > MAX_DESCRIPTION) {
    throw new KcError('USAGE', `--description is ${text.length} characters long; at most ${MAX_DESCRIPTION} are kept`, { hint: 'shorten it: it is one line of `kc history`' });
  }
  return text.trim() || undefined;
}
