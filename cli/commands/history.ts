import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import type { ListQuery, ListState, RevisionSummary } from '../../src/release/index.js';
import { LIST_STATES } from '../../src/release/list-query.js';
import { addClusterFlags, parseCount, type ClusterFlagValues } from '../cluster-flags.js';
import type { CliIO } from '../io.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import { formatData, outputFormat, table } from '../output.js';
import { registerStatus } from './status.js';
import { safe } from '../terminal-safe.js';
import { statusText } from '../revision-text.js';

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

/** The history table; a DIGEST column (the chart artifact's, short) when a revision came from an OCI registry. */
function historyTable(rows: RevisionSummary[]): string {
  const digests = rows.some((r) => r.chart.digest);
  const digest = digests ? ['DIGEST'] : [];
  const headers = ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', ...digest, 'DESCRIPTION'];
  const short = (d: string | undefined) => (d ? d.slice(0, 'sha256:'.length + 12) : '');
  const cells = rows.map((r) => [
    String(r.revision), r.updated, statusText(r), chartText(r.chart), r.chart.appVersion ?? '',
    ...(digests ? [short(r.chart.digest)] : []), r.description,
  ]);
  return table(headers, cells);
}

/** `kc history`, `kc list` and `kc status` (cli/commands/status.ts): read commands over release records. */
export function registerHistory(program: Command, io: CliIO): void {
  const h = program
    .command('history')
    .description('revisions of a release; with --env of an environment Flux delivers, the digests it was pointed at')
    .argument('[release]', 'release name (none with --env of a Flux environment)').option('-o, --output <format>', 'table, json or yaml').option('--max <n>', 'show at most the last n revisions');
  addClusterFlags(h);
  addEnvFlags(h);
  h.action(async (release: string | undefined, flags: ClusterFlagValues & EnvFlagValues & { output?: string; max?: string }) => {
    const format = outputFormat(flags.output);
    const max = parseCount(flags.max, `--max ${flags.max}`, 'give how many revisions to show, e.g. --max 5') || undefined;
    const cluster = await clusterOf(io, flags);
    if (cluster.flux && release === undefined) {
      const { fluxHistory } = await import('../../src/actions/flux-read.js');
      const revisions = (await fluxHistory(io.ctx, { ...cluster, flux: cluster.flux })).slice(-(max ?? 0));
      const rows = revisions.map((r) => [String(r.revision), r.updated, r.status, r.published.digest, r.description]);
      io.stdout(formatData(format, revisions, () => table(['REVISION', 'UPDATED', 'STATUS', 'DIGEST', 'DESCRIPTION'], rows)));
      return;
    }
    if (release === undefined) {
      throw new KcError('USAGE', 'kc history needs a release name', {
        hint: 'e.g. `kc history my-mysql`; without one only for --env of an environment Flux delivers',
      });
    }
    const { history } = await import('../../src/actions/history.js');
    const rows = await history(io.ctx, { release, ...cluster, max });
    io.stdout(formatData(format, rows, () => historyTable(rows)));
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
    const { listReleases } = await import('../../src/actions/history.js');
    const rows = await listReleases(io.ctx, { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, allNamespaces: flags.allNamespaces, ...listQuery(flags) });
    if (flags.short) {
      io.stdout(formatData(format, rows.map((r) => r.name), () => rows.map((r) => safe`${r.name}\n`).join('')));
      return;
    }
    const headers = ['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'ENV'];
    const cells = rows.map((r) => [r.name, r.namespace, String(r.revision), r.updated, statusText(r), chartText(r.chart), r.chart.appVersion ?? '', r.env ?? '']);
    io.stdout(formatData(format, rows, () => table(headers, cells, { headers: flags.headers })));
  });

  registerStatus(program, io);
}
