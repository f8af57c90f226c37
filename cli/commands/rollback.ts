import type { Command } from 'commander';
import { describeRef } from '../../src/kube/types.js';
import { addClusterFlags, addOperationFlags, operationOptions, parseDescription, parseRevision, type ClusterFlagValues, type OperationFlagValues } from '../cluster-flags.js';
import { dryRunMode } from '../dry-run.js';
import { parseDuration } from '../duration.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import { colorFor, type CliIO } from '../io.js';
import { progressReporter } from '../progress.js';
import { safe, terminalSafe } from '../terminal-safe.js';
import { renderFluxStates } from '../render-flux.js';
import { formatData, outputFormat } from '../output.js';
import type { OperationDocument } from '../operation-json.js';
import { KcError } from '../../src/errors/index.js';

const OUTPUT_HELP = 'table (text), json or yaml: the result as a kc.dev/v1 OperationResult document';

/** `kc rollback R [REVISION]` and `kc uninstall R`. */
export function registerRollback(program: Command, io: CliIO): void {
  const rb = program
    .command('rollback')
    .description('roll a release back to a previous revision (default: the one before the latest, or the latest if it was uninstalled with --keep-history)')
    .argument('<release>', 'release name (with --env of an environment Flux delivers: the revision)')
    .argument('[revision]', 'revision number');
  addClusterFlags(rb);
  addEnvFlags(rb);
  addOperationFlags(rb);
  rb.option('--dry-run [mode]', 'print what would be applied and deleted (client), validated by the API server (server), changing nothing')
    .option('--show-secrets', 'with --dry-run: print Secret values instead of placeholders')
    .option('-o, --output <format>', OUTPUT_HELP);
  type RollbackFlags = ClusterFlagValues & EnvFlagValues & OperationFlagValues & { dryRun?: string | boolean; showSecrets?: boolean; output?: string };
  rb.action(async (release: string, revision: string | undefined, flags: RollbackFlags) => {
    const { rollback } = await import('../../src/actions/rollback.js');
    const { displayManifest } = await import('../../src/actions/get.js');
    const { describeLeft } = await import('../../src/kube/owned-delete.js');
    const { fluxRollbackDocument, operationDocument, rollbackPreviewDocument } = await import('../operation-json.js');
    const { renderOperation } = await import('../render-operation.js');
    const format = outputFormat(flags.output);
    const cluster = await clusterOf(io, flags);
    if (cluster.flux) {
      // `kc rollback --env prod N`: an environment Flux delivers is rolled back as a whole, to revision N's digest.
      if (revision !== undefined) {
        throw new KcError('USAGE', `environment "${cluster.flux.env}" is delivered by Flux: roll it back as a whole`, {
          hint: `kc rollback --env ${cluster.flux.env} N (\`kc history --env ${cluster.flux.env}\` lists the revisions)`,
        });
      }
      const { fluxRollback } = await import('../../src/actions/flux-read.js');
      const to = parseRevision(release, `revision "${release}"`);
      const op = operationOptions(flags, io.signal, progressReporter(io));
      const onFluxProgress = (states: Parameters<typeof renderFluxStates>[0]) => io.stderr(renderFluxStates(states));
      const done = await fluxRollback(io.ctx, { ...cluster, flux: cluster.flux }, to, { ...op, onFluxProgress });
      if (format !== 'table') return io.stdout(formatData(format, fluxRollbackDocument(done), () => ''));
      io.stdout(safe`Rolled environment ${done.env} back to revision ${String(done.to)}: ${done.published.digest}\n`);
      io.stdout(safe`Flux applied it as revision ${String(done.revision)}\n` + renderFluxStates(done.states));
      return;
    }
    const n = parseRevision(revision, `revision "${revision}"`);
    const dryRun = dryRunMode(flags.dryRun);
    const operation = operationOptions(flags, io.signal, progressReporter(io));
    const result = await rollback(io.ctx, { release, revision: n, ...flags, ...cluster, ...operation, dryRun });
    if (format !== 'table') {
      const showSecrets = Boolean(flags.showSecrets);
      const data = result.dryRun && dryRun
        ? rollbackPreviewDocument(result.dryRun, dryRun, showSecrets)
        : operationDocument(result.operation!, 'rollback');
      return io.stdout(formatData(format, data, () => ''));
    }
    if (result.operation) io.stdout(renderOperation(result.operation, colorFor(io, 'stdout')));
    if (result.dryRun) {
      // The manifest alone on stdout (it can be piped); what it means on stderr.
      const p = result.dryRun;
      io.stdout(displayManifest(p.objects, Boolean(flags.showSecrets)));
      const what = `would apply ${p.objects.length} object(s) and delete ${p.prune.length}`;
      const rolling = safe`rolling ${p.release} back to revision ${p.to}`;
      io.stderr(`dry run (${dryRun}), nothing changed: ${rolling} ${what}\n`);
      for (const ref of p.prune) io.stderr(safe`  would delete ${describeRef(ref)}\n`);
      for (const left of p.left) io.stderr(safe`  would leave ${describeLeft(left)}\n`);
    }
  });

  const un = program
    .command('uninstall')
    .description('delete the objects and history of one or more releases')
    .argument('<release...>', 'release names')
    .option('--keep-history', 'keep the release records (status uninstalled)')
    .option('--include-crds', 'also delete the release\'s CustomResourceDefinitions and so all their custom resources')
    .option('--wait-for-lock [duration]', 'wait for another operation on the release to finish')
    .option('--dry-run', 'list what would be deleted and kept, changing nothing')
    .option('--ignore-not-found', 'a release that does not exist is not an error')
    .option('--wait', 'wait until the deleted objects are gone (their finalizers done)')
    .option('--timeout <duration>', 'how long hooks and --wait may take', '5m')
    .option('--description <text>', 'with --keep-history: the kept revision\'s description, instead of "Uninstallation complete"')
    .option('-o, --output <format>', `${OUTPUT_HELP} (a List of them for several releases)`);
  addClusterFlags(un);
  addEnvFlags(un);
  un.action(async (releases: string[], flags: ClusterFlagValues & EnvFlagValues & { keepHistory?: boolean; includeCrds?: boolean; waitForLock?: string | boolean; dryRun?: boolean; ignoreNotFound?: boolean; wait?: boolean; timeout: string; description?: string; output?: string }) => {
    const { uninstall } = await import('../../src/actions/uninstall.js');
    const { describeLeft } = await import('../../src/kube/owned-delete.js');
    const { oneOrList, uninstallDocument } = await import('../operation-json.js');
    const format = outputFormat(flags.output);
    const waitForLockMs = typeof flags.waitForLock === 'string' ? parseDuration(flags.waitForLock, '--wait-for-lock') : flags.waitForLock ? 300_000 : 0;
    const timeoutMs = parseDuration(flags.timeout, '--timeout');
    const description = parseDescription(flags.description);
    const cluster = await clusterOf(io, flags);
    // One after another, as Helm does: the first failure stops the rest (those done are reported above it).
    const documents: OperationDocument[] = [];
    for (const release of releases) {
      const options = { release, ...flags, ...cluster, waitForLockMs, timeoutMs, description, signal: io.signal };
      const result = await uninstall(io.ctx, options).catch((err: unknown) => {
        // -o json|yaml prints nothing on stdout on failure: those already uninstalled are named on stderr instead.
        const done = documents.filter((d) => d.changed);
        for (const d of done) io.stderr(safe`release "${d.release}" uninstalled before the failure below\n`);
        throw err;
      });
      if (format !== 'table') {
        documents.push(uninstallDocument(result));
        continue;
      }
      if (result.notFound) {
        io.stdout(safe`release "${release}" not found in namespace ${result.namespace}: nothing to uninstall\n`);
        continue;
      }
      const history = result.historyKept ? ', history kept' : '';
      if (result.dryRun) {
        const what = `would delete ${result.deleted.length} object(s)${history}`;
        io.stdout(safe`dry run, nothing changed: uninstalling "${release}" ` + `${what}\n`);
        for (const ref of result.deleted) io.stdout(safe`  would delete ${describeRef(ref)}\n`);
      } else {
        io.stdout(safe`release "${release}" uninstalled: deleted ${result.deleted.length} object(s)` + `${history}\n`);
      }
      if (result.unreadable) {
        io.stdout('  its records could not be decrypted (record key lost): objects found by their kc.dev/release annotation; no hook ran\n');
      }
      const [keep, leave] = result.dryRun ? ['would keep', 'would leave'] : ['kept', 'left'];
      const why = '(resource policy keep, or a CRD without --include-crds)';
      for (const ref of result.kept) io.stdout(`  ${keep} ${terminalSafe(describeRef(ref))} ${why}\n`);
      for (const left of result.left) io.stdout(`  ${leave} ${terminalSafe(describeLeft(left))}\n`);
    }
    if (format !== 'table') io.stdout(formatData(format, oneOrList(documents), () => ''));
  });
}
