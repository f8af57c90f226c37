import type { Command } from 'commander';
import { releasesToYaml, synth, writeReleaseFiles } from '../../src/actions/synth.js';
import { addValueFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { renderProvenance } from '../render-provenance.js';
import { safe } from '../terminal-safe.js';

/** `kc synth [PROJECT]`: render an app (or a chart directory) to YAML. */
export function registerSynth(program: Command, io: CliIO): void {
  const cmd = program
    .command('synth')
    .description('bundle the app with esbuild, run it and print deterministic multi-document YAML')
    .argument('[project]', 'project directory (with kc.config.ts) or chart directory', '.')
    .option('-e, --env <name>', 'environment from the project file')
    .option('--only <release...>', 'only these releases')
    .option('-o, --output <dir>', 'write one <release>.yaml per release into this directory')
    .option('-n, --namespace <ns>', 'namespace for namespaced objects (overrides the environment)')
    .option('--release <name>', 'release name when rendering a chart directory (default: the chart name)')
    .option('--debug', 'print the merged values to stderr, each with the layer that set it (secrets redacted)');
  const values = addValueFlags(cmd);
  cmd.action(async (target: string, opts: { env?: string; only?: string[]; output?: string; namespace?: string; release?: string; debug?: boolean }) => {
    const result = await synth(io.ctx, { target, env: opts.env, only: opts.only, namespace: opts.namespace, release: opts.release, ...values });
    if (opts.debug) io.stderr(renderProvenance(result.releases, result.env));
    if (opts.output) {
      for (const file of writeReleaseFiles(io.ctx, result.releases, opts.output)) io.stderr(safe`wrote ${file}\n`);
    } else {
      io.stdout(releasesToYaml(result.releases));
    }
  });
}
