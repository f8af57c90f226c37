import type { Command } from 'commander';
import type { ReleaseMetadata } from '../../src/actions/get.js';
import type { ReleaseRecord } from '../../src/release/index.js';
import { addClusterFlags, parseRevision, type ClusterFlagValues } from '../cluster-flags.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { terminalSafe, terminalSafeLines, yamlSafe } from '../terminal-safe.js';

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
/** What the renderers use, loaded when a get command runs (the release codec and its readers). */
type Lib = typeof import('../../src/actions/get.js') & typeof import('../get-json.js');
/** The text output, the data -o json|yaml prints, and -o's help. */
type Render = {
  text: (flags: Flags, record: ReleaseRecord, lib: Lib) => string;
  data: (flags: Flags, record: ReleaseRecord, lib: Lib) => unknown;
  output: string;
};

/** `kc get manifest|values|notes|hooks|metadata|all R`: what a revision stored. */
export function registerGet(program: Command, io: CliIO): void {
  const get = program.command('get').description('show what a release revision stored');
  const sub = (name: string, description: string, render: Render) => {
    const cmd = get.command(name).description(description).argument('<release>', 'release name').option('--revision <n>', 'revision (default: the latest)');
    addClusterFlags(cmd);
    addEnvFlags(cmd);
    if (name !== 'notes' && name !== 'metadata') cmd.option('--show-secrets', 'show secret values instead of placeholders');
    if (name === 'values') cmd.option('-a, --all', 'all computed values, not only the ones supplied');
    cmd.option('-o, --output <format>', render.output);
    cmd.action(async (release: string, flags: Flags) => {
      const format = outputFormat(flags.output); // before the cluster is read
      const revision = parseRevision(flags.revision, `--revision ${flags.revision}`);
      const lib: Lib = { ...(await import('../../src/actions/get.js')), ...(await import('../get-json.js')) };
      const record = await lib.getRecord(io.ctx, { release, ...flags, ...(await clusterOf(io, flags)), revision });
      io.stdout(formatData(format, render.data(flags, record, lib), () => render.text(flags, record, lib)));
    });
    cmd.exitOverride();
  };
  const show = (f: Flags) => Boolean(f.showSecrets);
  sub('manifest', 'the objects of a revision, as applied (Secret data redacted)', {
    text: (f, r, m) => m.manifestText(r, show(f)),
    data: (f, r, m) => m.objectListDocument(r, show(f)),
    output: 'json or yaml: a List of the objects (default: YAML documents)',
  });
  sub('values', 'the values a revision was rendered with (secret fields redacted)', {
    // No table: -o table (and no -o) prints YAML, as it always has.
    text: (f, r, m) => yamlSafe(m.valuesOf(r, f)),
    data: (f, r, m) => m.valuesOf(r, f),
    output: 'yaml or json',
  });
  sub('notes', 'the chart\'s notes for a revision', {
    text: (_f, r) => (r.notes ? terminalSafeLines(r.notes) + '\n' : '(the chart has no notes)\n'),
    data: (_f, r, m) => m.notesDocument(r),
    output: 'json or yaml: a Notes document (default: text)',
  });
  sub('hooks', 'the hook and test objects of a revision (Secret data redacted)', {
    text: (f, r, m) => m.hooksText(r, show(f)) || '(the revision has no hooks)\n',
    data: (f, r, m) => m.objectListDocument(r, show(f), true),
    output: 'json or yaml: a List of the hook objects (default: YAML documents)',
  });
  sub('metadata', 'release, chart, revision, status and who deployed it when', {
    text: (_f, r, m) => metadataLines(m.metadataOf(r)) + '\n',
    data: (_f, r, m) => m.metadataOf(r),
    output: 'table, json or yaml',
  });
  // Helm's `get all`: every part in one output, each under a header.
  sub('all', 'metadata, values, manifest, hooks and notes of a revision', {
    text: (f, r, m) => {
      const meta = metadataLines(m.metadataOf(r));
      const values = yamlSafe(m.valuesOf(r, { showSecrets: show(f) }));
      const parts = [meta, `USER-SUPPLIED VALUES:\n${values}`, `MANIFEST:\n${m.manifestText(r, show(f))}`];
      const hooks = m.hooksText(r, show(f));
      if (hooks) parts.push(`HOOKS:\n${hooks}`);
      if (r.notes) parts.push(`NOTES:\n${terminalSafeLines(r.notes)}\n`);
      return parts.join('\n').replace(/\n*$/, '\n');
    },
    data: (f, r, m) => m.revisionDocument(r, show(f)),
    output: 'json or yaml: a Revision document with every part (default: text)',
  });
}
