import type { Command } from 'commander';
import { history, listReleases } from '../../src/actions/history.js';
import { LIST_STATES, type ListQuery, type ListState } from '../../src/release/index.js';
import { status } from '../../src/actions/status.js';
import { describeRef } from '../../src/kube/types.js';
import { environmentStatus, type EnvironmentStatus } from '../../src/actions/env-status.js';
import { KcError } from '../../src/errors/index.js';
import { addClusterFlags, parseCount, parseRevision, type ClusterFlagValues } from '../cluster-flags.js';
import type { CliIO } from '../io.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import { formatData, outputFormat, table, type OutputFormat } from '../output.js';

/** `kc list`'s flags as commander parses them (--no-headers sets headers to false). */
interface ListFlagValues extends Partial<Record<ListState, boolean>> {
  allNamespaces?: boolean;
  all?: boolean;
  filter?: string;
  date?: boolean;
  reverse?: boolean;
  max?: string;
  offset?: string;
  short?: boolean;
  headers: boolean;
  output?: string;
}

/** The list query the flags ask for; --max and --offset must be whole numbers. */
function listQuery(flags: ListFlagValues): ListQuery {
  return {
    states: LIST_STATES.filter((s) => flags[s]),
    all: flags.all,
    filter: flags.filter,
    byDate: flags.date,
    reverse: flags.reverse,
    max: parseCount(flags.max, `--max ${flags.max}`, 'give how many releases to show, e.g. --max 20 (0 shows all)'),
    offset: parseCount(flags.offset, `--offset ${flags.offset}`, 'give how many releases to skip, e.g. --offset 20'),
  };
}

const chartText = (c: { name: string; version: string }) => `${c.name}-${c.version}`;

/** A status row's REASON: the readiness reason, its message, and what the pods or events say. */
const reasonText = (o: { readiness: { reason: string; message?: string }; why?: string }) =>
  [o.readiness.message ? `${o.readiness.reason}: ${o.readiness.message}` : o.readiness.reason, o.why].filter(Boolean).join(' — ');

/** `kc status --env E`: the environment's releases, one row each (or the report as data). */
function renderEnvironmentStatus(format: OutputFormat, report: EnvironmentStatus): string {
  return formatData(format, report, () => {
    const head = `ENVIRONMENT: ${report.env} (project ${report.project})\nNAMESPACE: ${report.namespace}\nCONTEXT: ${report.context}\n\n`;
    if (report.releases.length === 0) return `${head}no releases of this environment: run \`kc deploy --env ${report.env}\`\n`;
    const rows = report.releases.map((r) => [r.name, String(r.revision), r.status, chartText(r.chart), r.updated]);
    return head + table(['NAME', 'REVISION', 'STATUS', 'CHART', 'UPDATED'], rows);
  });
}

/** `kc history`, `kc list` and `kc status`: read commands over release records. */
export function registerHistory(program: Command, io: CliIO): void {
  const h = program.command('history').description('revisions of a release').argument('<release>', 'release name').option('-o, --output <format>', 'table, json or yaml').option('--max <n>', 'show at most the last n revisions');
  addClusterFlags(h);
  addEnvFlags(h);
  h.action(async (release: string, flags: ClusterFlagValues & EnvFlagValues & { output?: string; max?: string }) => {
    const format = outputFormat(flags.output);
    const max = parseCount(flags.max, `--max ${flags.max}`, 'give how many revisions to show, e.g. --max 5') || undefined;
    const rows = await history(io.ctx, { release, ...(await clusterOf(io, flags)), max });
    io.stdout(formatData(format, rows, () => table(['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'], rows.map((r) => [String(r.revision), r.updated, r.status, chartText(r.chart), r.chart.appVersion ?? '', r.description]))));
  });

  const l = program
    .command('list')
    .alias('ls')
    .description('releases in a namespace, by name: every state but uninstalled unless state flags or --all say otherwise')
    .option('-A, --all-namespaces', 'releases in every namespace')
    .option('-a, --all', 'releases in every state, uninstalled (with --keep-history) included')
    .option('--deployed', 'only deployed releases')
    .option('--failed', 'only failed releases')
    .option('--pending', 'only releases pending install, upgrade or rollback')
    .option('--superseded', 'only superseded revisions (alone: every superseded revision, as in Helm)')
    .option('--uninstalling', 'only releases being uninstalled')
    .option('--uninstalled', 'only releases uninstalled with --keep-history')
    .option('-f, --filter <regex>', 'only releases whose name matches the regular expression')
    .option('-d, --date', 'sort by last update, oldest first')
    .option('-r, --reverse', 'reverse the order')
    .option('-m, --max <n>', 'show at most n releases (0: all)')
    .option('--offset <n>', 'skip the first n releases')
    .option('-q, --short', 'names only')
    .option('--no-headers', 'no header row in the table')
    .option('-o, --output <format>', 'table, json or yaml');
  addClusterFlags(l);
  l.action(async (flags: ClusterFlagValues & ListFlagValues) => {
    const format = outputFormat(flags.output);
    const rows = await listReleases(io.ctx, { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, allNamespaces: flags.allNamespaces, ...listQuery(flags) });
    if (flags.short) {
      io.stdout(formatData(format, rows.map((r) => r.name), () => rows.map((r) => `${r.name}\n`).join('')));
      return;
    }
    const headers = ['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'ENV'];
    const cells = rows.map((r) => [r.name, r.namespace, String(r.revision), r.updated, r.status, chartText(r.chart), r.chart.appVersion ?? '', r.env ?? '']);
    io.stdout(formatData(format, rows, () => table(headers, cells, { headers: flags.headers })));
  });

  const s = program
    .command('status')
    .description('a release\'s latest revision and the live readiness of its objects; with --env and no release, every release of the environment')
    .argument('[release]', 'release name (optional with --env)')
    .option('-o, --output <format>', 'table, json or yaml')
    .option('--show-notes', 'print the chart\'s notes too')
    .option('--revision <n>', 'that revision instead of the latest (its objects\' readiness is still live)');
  addClusterFlags(s);
  addEnvFlags(s);
  s.action(async (release: string | undefined, flags: ClusterFlagValues & EnvFlagValues & { output?: string; showNotes?: boolean; revision?: string }) => {
    const format = outputFormat(flags.output);
    const revision = parseRevision(flags.revision, `--revision ${flags.revision}`);
    if (release === undefined) {
      if (flags.env === undefined) throw new KcError('USAGE', 'kc status needs a release name, or --env E to list the environment\'s releases', { hint: 'e.g. `kc status my-mysql` or `kc status --env prod`' });
      if (revision !== undefined) throw new KcError('USAGE', '--revision needs a release name', { hint: 'e.g. `kc status my-mysql --env prod --revision 2`' });
      io.stdout(renderEnvironmentStatus(format, await environmentStatus(io.ctx, { ...flags, env: flags.env })));
      return;
    }
    const report = await status(io.ctx, { release, ...(await clusterOf(io, flags)), revision });
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
