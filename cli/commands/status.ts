import type { Command } from 'commander';
import type { EnvironmentStatus } from '../../src/actions/env-status.js';
import type { ObjectStatus, ReleaseStatusReport } from '../../src/actions/status.js';
import { KcError } from '../../src/errors/index.js';
import type { DriftKind } from '../../src/kube/drift.js';
import { describeRef } from '../../src/kube/types.js';
import { addClusterFlags, parseRevision, type ClusterFlagValues } from '../cluster-flags.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat, table, type OutputFormat } from '../output.js';
import { safe, terminalSafeLines } from '../terminal-safe.js';
import { renderFluxStates } from '../render-flux.js';
import type { FluxStatus } from '../../src/actions/flux-read.js';
import { statusLine, statusText } from '../revision-text.js';

const chartText = (c: { name: string; version: string }) => `${c.name}-${c.version}`;

/** The readiness reason, its message, and what the pods or events say. */
function readinessText(o: ObjectStatus): string {
  const { reason, message } = o.readiness;
  return [message ? `${reason}: ${message}` : reason, o.why].filter(Boolean).join(' — ');
}

/** A row's REASON: why it drifted, then its readiness (SYNC alone says "missing"). */
function reasonText(o: ObjectStatus): string {
  if (o.sync === 'missing') return '';
  return [o.drift?.reason, readinessText(o)].filter(Boolean).join('; ');
}

/** `kc status --env E`: the environment's releases, one row each (or the report as data). */
function renderEnvironmentStatus(format: OutputFormat, report: EnvironmentStatus): string {
  return formatData(format, report, () => {
    const { env, project, namespace, context } = report;
    const head = safe`ENVIRONMENT: ${env} (project ${project})\nNAMESPACE: ${namespace}\nCONTEXT: ${context}\n\n`;
    const none = safe`no releases of this environment: run \`kc deploy --env ${env}\`\n`;
    if (report.releases.length === 0) return head + none;
    const rows = report.releases.map((r) => [r.name, String(r.revision), statusText(r), chartText(r.chart), r.updated]);
    return head + table(['NAME', 'REVISION', 'STATUS', 'CHART', 'UPDATED'], rows);
  });
}

/** `kc status R`: the summary, then one row per object (SYNC empty where drift is not judged). */
function renderReleaseStatus(report: ReleaseStatusReport, showNotes: boolean): string {
  const { summary } = report;
  const head = [
    safe`NAME: ${summary.name}`,
    safe`NAMESPACE: ${summary.namespace}`,
    safe`REVISION: ${summary.revision}`,
    safe`STATUS: ${statusLine(summary)}`,
    safe`CHART: ${chartText(summary.chart)}`,
    safe`UPDATED: ${summary.updated}`,
    safe`DESCRIPTION: ${summary.description}`,
    '',
  ].join('\n');
  const ready = (o: ObjectStatus) => (o.exists && o.readiness.ready ? 'yes' : 'no');
  const rows = report.objects.map((o) => [describeRef(o.ref), ready(o), o.sync ?? '', reasonText(o)]);
  const objects = table(['OBJECT', 'READY', 'SYNC', 'REASON'], rows);
  return `${head}\n${objects}${showNotes && report.notes ? `\nNOTES:\n${terminalSafeLines(report.notes)}\n` : ''}`;
}

/** "1 object of release r is …" or "2 objects of release r are …", each with its verb. */
function objectsOf(n: number, release: string, one: string, many: string): string {
  return n === 1 ? `1 object of release ${release} ${one}` : `${n} objects of release ${release} ${many}`;
}

/** How to repair: a deploy of the same revision, with the flag the apply will need where one is. */
function driftHint(kinds: DriftKind[]): string {
  const flags = [
    kinds.includes('conflict') && '--force-conflicts takes back fields another manager took',
    kinds.includes('not-owned') && '--adopt takes objects kc does not own',
  ].filter(Boolean);
  const repair = '`kc upgrade`/`kc deploy` with the same chart and values applies them again';
  return `\`kc diff\` shows the changes; ${repair}${flags.length ? ` (${flags.join('; ')})` : ''}`;
}

/** The error `kc status` exits with: DRIFTED before NOT_READY (redeploying repairs drift; waiting does not). */
function verdictError(report: ReleaseStatusReport): KcError | undefined {
  const { name, revision } = report.summary;
  if (report.verdict === 'drifted') {
    const drifted = report.objects.filter((o) => o.sync === 'missing' || o.sync === 'drifted');
    const what = objectsOf(drifted.length, name, 'is missing or differs', 'are missing or differ');
    const message = `${what} from revision ${revision}`;
    return new KcError('DRIFTED', message, {
      details: drifted.map((o) => `${describeRef(o.ref)}: ${o.drift?.reason}`),
      hint: driftHint(drifted.flatMap((o) => (o.drift ? [o.drift.kind] : []))),
    });
  }
  if (report.verdict === 'not-ready') {
    const unready = report.objects.filter((o) => !o.readiness.ready);
    return new KcError('NOT_READY', objectsOf(unready.length, name, 'is not ready', 'are not ready'), {
      details: unready.map((o) => `${describeRef(o.ref)}: ${readinessText(o)}`),
      hint: 'the reasons above say what each waits for; run `kc status` again later, or fix the cause and upgrade',
    });
  }
  return undefined;
}

type StatusFlags = ClusterFlagValues & EnvFlagValues & { output?: string; showNotes?: boolean; revision?: string };

/** `kc status`: a release's live state (exit 0 only when its objects exist, match, are ready) or an env's releases. */
export function registerStatus(program: Command, io: CliIO): void {
  const s = program
    .command('status')
    .description(
      'a release\'s latest revision and the live state of its objects (exit 7 when any is missing, drifted or ' +
        'not ready); with --env and no release, every release of the environment',
    )
    .argument('[release]', 'release name (optional with --env)')
    .option('-o, --output <format>', 'table, json or yaml')
    .option('--show-notes', 'print the chart\'s notes too')
    .option('--revision <n>', 'that revision instead of the latest (live readiness of its objects; drift not judged)');
  addClusterFlags(s);
  addEnvFlags(s);
  s.action(async (release: string | undefined, flags: StatusFlags) => {
    const format = outputFormat(flags.output);
    const revision = parseRevision(flags.revision, `--revision ${flags.revision}`);
    if (release === undefined) {
      if (flags.env === undefined) {
        throw new KcError('USAGE', 'kc status needs a release name, or --env E to list the environment\'s releases', {
          hint: 'e.g. `kc status my-mysql` or `kc status --env prod`',
        });
      }
      if (revision !== undefined) {
        const hint = 'e.g. `kc status my-mysql --env prod --revision 2`';
        throw new KcError('USAGE', '--revision needs a release name', { hint });
      }
      const cluster = await clusterOf(io, flags);
      if (cluster.flux) {
        const { fluxStatus } = await import('../../src/actions/flux-read.js');
        const report = await fluxStatus(io.ctx, { ...cluster, flux: cluster.flux });
        io.stdout(formatData(format, report, () => renderFluxStatus(report)));
        const bad = report.states.filter((st) => st.state !== 'ready');
        if (bad.length) {
          throw new KcError('NOT_READY', `${bad.length} release(s) of environment ${report.env} are not ready under Flux`, {
            details: bad.map((st) => `${st.release}: ${st.state}${st.reason ? ` (${st.reason})` : ''}`),
            hint: 'the reasons are Flux\'s own; fix the cause and deploy again, or roll back',
          });
        }
        return;
      }
      const { environmentStatus } = await import('../../src/actions/env-status.js');
      io.stdout(renderEnvironmentStatus(format, await environmentStatus(io.ctx, { ...flags, env: flags.env })));
      return;
    }
    const { status } = await import('../../src/actions/status.js');
    const report = await status(io.ctx, { release, ...(await clusterOf(io, flags)), revision });
    io.stdout(formatData(format, report, () => renderReleaseStatus(report, Boolean(flags.showNotes))));
    const failure = verdictError(report);
    if (failure) throw failure;
  });
}

/** `kc status --env E` for an environment Flux delivers: the revision it was pointed at, and each release. */
function renderFluxStatus(report: FluxStatus): string {
  const r = report.revision;
  const env = safe`ENVIRONMENT: ${report.env} (delivered by Flux)\n`;
  if (!r) return env + renderFluxStates(report.states);
  // The record says how kc's deploy ended; Flux keeps reconciling after a deploy that gave up waiting, so what runs
  // now is said apart from it (a revision recorded failed may be ready since, and the other way round).
  const ready = report.states.filter((st) => st.state === 'ready').length;
  const now = ready === report.states.length ? 'ready' : 'not ready';
  return (
    env +
    safe`REVISION: ${String(r.revision)} (deploy ${r.status === 'deployed' ? 'complete' : r.status})\n` +
    safe`DIGEST: ${r.published.digest}\n` +
    safe`STATE: ${now} (${String(ready)} of ${String(report.states.length)} releases ready at this digest)\n` +
    renderFluxStates(report.states)
  );
}
