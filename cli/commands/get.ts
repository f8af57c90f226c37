import type { Command } from 'commander';
import { getRecord, hooksText, manifestText, metadataOf, valuesOf, type ReleaseMetadata } from '../../src/actions/get.js';
import { addClusterFlags, parseRevision, type ClusterFlagValues } from '../cluster-flags.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { jsonSafe, terminalSafe, terminalSafeLines, yamlSafe } from '../terminal-safe.js';

const METADATA_LABELS: [keyof ReleaseMetadata, string][] = [
  ['name', 'NAME'], ['namespace', 'NAMESPACE'], ['revision', 'REVISION'], ['status', 'STATUS'], ['chart', 'CHART'], ['version', 'VERSION'],
  ['appVersion', 'APP VERSION'], ['source', 'SOURCE'], ['chartDigest', 'CHART DIGEST'], ['env', 'ENV'], ['project', 'PROJECT'], ['firstDeployed', 'FIRST DEPLOYED'], ['updated', 'UPDATED'],
  ['deployedBy', 'DEPLOYED BY'], ['description', 'DESCRIPTION'], ['digest', 'DIGEST'],
];

/** `LABEL: value` lines, as `kc status` prints its header; absent fields left out. */
const metadataLines = (meta: ReleaseMetadata) =>
  METADATA_LABELS.filter(([k]) => meta[k] !== undefined)
    .map(([k, label]) => `${label}: ${terminalSafe(String(meta[k]))}`)
    .join('\n');

type Flags = ClusterFlagValues & EnvFlagValues & { revision?: string; showSecrets?: boolean; all?: boolean; output?: string };

/** `kc get manifest|values|notes|hooks|metadata|all R`: what a revision stored. */
export function registerGet(program: Command, io: CliIO): void {
  const get = program.command('get').description('show what a release revision stored');
  const sub = (name: string, description: string, render: (flags: Flags, record: Awaited<ReturnType<typeof getRecord>>) => string) => {
    const cmd = get.command(name).description(description).argument('<release>', 'release name').option('--revision <n>', 'revision (default: the latest)');
    addClusterFlags(cmd);
    addEnvFlags(cmd);
    if (name !== 'notes' && name !== 'metadata') cmd.option('--show-secrets', 'show secret values instead of placeholders');
    if (name === 'values') cmd.option('-a, --all', 'all computed values, not only the ones supplied').option('-o, --output <format>', 'yaml or json');
    if (name === 'metadata') cmd.option('-o, --output <format>', 'table, json or yaml');
    cmd.action(async (release: string, flags: Flags) => {
      const revision = parseRevision(flags.revision, `--revision ${flags.revision}`);
      const record = await getRecord(io.ctx, { release, ...flags, ...(await clusterOf(io, flags)), revision });
      io.stdout(render(flags, record));
    });
    cmd.exitOverride();
  };
  sub('manifest', 'the objects of a revision, as applied (Secret data redacted)', (f, r) => manifestText(r, Boolean(f.showSecrets)));
  sub('values', 'the values a revision was rendered with (secret fields redacted)', (f, r) => {
    const values = valuesOf(r, f);
    return outputFormat(f.output) === 'json' ? jsonSafe(JSON.stringify(values, null, 2)) + '\n' : yamlSafe(values);
  });
  sub('notes', 'the chart\'s notes for a revision', (_f, r) =>
    r.notes ? terminalSafeLines(r.notes) + '\n' : '(the chart has no notes)\n',
  );
  sub('hooks', 'the hook and test objects of a revision (Secret data redacted)', (f, r) => hooksText(r, Boolean(f.showSecrets)) || '(the revision has no hooks)\n');
  sub('metadata', 'release, chart, revision, status and who deployed it when', (f, r) => {
    const meta = metadataOf(r);
    return formatData(outputFormat(f.output), meta, () => metadataLines(meta) + '\n');
  });
  // Helm's `get all`: every part in one output, each under a header.
  sub('all', 'metadata, values, manifest, hooks and notes of a revision', (f, r) => {
    const show = Boolean(f.showSecrets);
    const meta = metadataLines(metadataOf(r));
    const values = yamlSafe(valuesOf(r, { showSecrets: show }));
    const parts = [meta, `USER-SUPPLIED VALUES:\n${values}`, `MANIFEST:\n${manifestText(r, show)}`];
    const hooks = hooksText(r, show);
    if (hooks) parts.push(`HOOKS:\n${hooks}`);
    if (r.notes) parts.push(`NOTES:\n${terminalSafeLines(r.notes)}\n`);
    return parts.join('\n').replace(/\n*$/, '\n');
  });
}
