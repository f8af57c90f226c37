import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import { addValueFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { safe } from '../terminal-safe.js';

/** `kc synth [PROJECT]`: render an app (or a chart directory) to YAML. */
export function registerSynth(program: Command, io: CliIO): void {
  const cmd = program
    .command('synth')
    .description('bundle the app with esbuild, run it and print deterministic multi-document YAML')
    .argument('[project]', 'project directory (with kc.config.ts) or chart directory', '.')
    .option('-e, --env <name>', 'environment from the project file')
    .option('--only <release...>', 'only these releases')
    .option('-o, --output <format>', 'print yaml (the default) or json (an array: each release and its objects)')
    .option('--output-dir <dir>', 'write one <release>.yaml per release into this directory (as helm template)')
    .option('-n, --namespace <ns>', 'namespace for namespaced objects (overrides the environment)')
    .option('--release <name>', 'release name when rendering a chart directory (default: the chart name)')
    .option('--debug', 'print the merged values to stderr, each with the layer that set it (secrets redacted)');
  const values = addValueFlags(cmd);
  type Opts = {
    env?: string;
    only?: string[];
    output?: string;
    outputDir?: string;
    namespace?: string;
    release?: string;
    debug?: boolean;
  };
  cmd.action(async (target: string, opts: Opts) => {
    // -o is a format, as on every other command; before 0.2 it named a directory, which --output-dir now does.
    if (opts.output !== undefined && opts.output !== 'yaml' && opts.output !== 'json') {
      throw new KcError('USAGE', `-o ${opts.output}: synth prints yaml or json`, {
        hint: `to write one file per release into a directory, use --output-dir ${opts.output}`,
      });
    }
    if (opts.output !== undefined && opts.outputDir !== undefined) {
      throw new KcError('USAGE', '-o and --output-dir both choose where the output goes', { hint: 'give one of them' });
    }
    const { releasesToYaml, synth, writeReleaseFiles } = await import('../../src/actions/synth.js');
    const result = await synth(io.ctx, {
      target,
      env: opts.env,
      only: opts.only,
      namespace: opts.namespace,
      release: opts.release,
      ...values,
    });
    if (opts.debug) io.stderr((await import('../render-provenance.js')).renderProvenance(result.releases, result.env));
    if (opts.outputDir) {
      for (const file of writeReleaseFiles(io.ctx, result.releases, opts.outputDir)) io.stderr(safe`wrote ${file}\n`);
    } else if (opts.output === 'json') {
      const releases = result.releases.map((r) => ({
        name: r.name,
        namespace: r.namespace,
        chart: r.chart,
        objects: r.objects,
      }));
      io.stdout(`${JSON.stringify(releases, null, 2)}\n`);
    } else {
      io.stdout(releasesToYaml(result.releases));
    }
  });
}
