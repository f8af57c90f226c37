import type { Command } from 'commander';
import { history, listReleases, type ListFilter } from '../../src/actions/history.js';
import { status } from '../../src/actions/status.js';
import { describeRef } from '../../src/kube/types.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat, table } from '../output.js';

const chartText = (c: { name: string; version: string }) => `${c.name}-${c.version}`;

/** A status row's REASON: the readiness reason, its message, and what the pods or events say. */
const reasonText = (o: { readiness: { reason: string; message?: string }; why?: string }) =>
  [o.readiness.message ? `${o.readiness.reason}: ${o.readiness.message}` : o.readiness.reason, o.why].filter(Boolean).join(' — ');

/** `kc history`, `kc list` and `kc status`: read commands over release records. */
export function registerHistory(program: Command, io: CliIO): void {
  const h = program.command('history').description('revisions of a release').argument('<release>', 'release name').option('-o, --output <format>', 'table, json or yaml').option('--max <n>', 'show at most the last n revisions');
  addClusterFlags(h);
  h.action(async (release: string, flags: ClusterFlagValues & { output?: string; max?: string }) => {
    const format = outputFormat(flags.output);
    const rows = await history(io.ctx, { release, ...flags, max: flags.max ? Number(flags.max) : undefined });
    io.stdout(formatData(format, rows, () => table(['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'], rows.map((r) => [String(r.revision), r.updated, r.status, chartText(r.chart), r.chart.appVersion ?? '', r.description]))));
  });

  const l = program
    .command('list')
    .alias('ls')
    .description('releases in a namespace (not those uninstalled with --keep-history: --all or --uninstalled show them)')
    .option('-A, --all-namespaces', 'releases in every namespace')
    .option('-a, --all', 'also releases uninstalled with --keep-history')
    .option('--uninstalled', 'only releases uninstalled with --keep-history')
    .option('-o, --output <format>', 'table, json or yaml');
  addClusterFlags(l);
  l.action(async (flags: ClusterFlagValues & ListFilter & { output?: string }) => {
    const format = outputFormat(flags.output);
    const rows = await listReleases(io.ctx, flags);
    io.stdout(formatData(format, rows, () => table(['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'ENV'], rows.map((r) => [r.name, r.namespace, String(r.revision), r.updated, r.status, chartText(r.chart), r.chart.appVersion ?? '', r.env ?? '']))));
  });

  const s = program.command('status').description('a release\'s latest revision and the live readiness of its objects').argument('<release>', 'release name').option('-o, --output <format>', 'table, json or yaml').option('--show-notes', 'print the chart\'s notes too');
  addClusterFlags(s);
  s.action(async (release: string, flags: ClusterFlagValues & { output?: string; showNotes?: boolean }) => {
    const format = outputFormat(flags.output);
    const report = await status(io.ctx, { release, ...flags });
    io.stdout(
      formatData(format, report, () => {
        const { summary } = report;
        const head = [`NAME: ${summary.name}`, `NAMESPACE: ${summary.namespace}`, `REVISION: ${summary.revision}`, `STATUS: ${summary.status}`, `CHART: ${chartText(summary.chart)}`, `UPDATED: ${summary.updated}`, `DESCRIPTION: ${summary.description}`, ''].join('\n');
        const objects = table(['OBJECT', 'READY', 'REASON'], report.objects.map((o) => [describeRef(o.ref), o.exists && o.readiness.ready ? 'yes' : 'no', reasonText(o)]));
        return `${head}\n${objects}${flags.showNotes && report.notes ? `\nNOTES:\n${report.notes}\n` : ''}`;
      }),
    );
  });
}
