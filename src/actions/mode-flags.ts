// Options that mean something for a project only, or for a chart only, are refused for the other instead of
// being silently ignored (`kc synth charts/mysql --env prod` rendered the chart's defaults).
import { KcError } from '../errors/index.js';
import type { Source } from '../config/locate.js';

/** The options of a synth that depend on what the target is. */
export interface ModeFlags {
  env?: string;
  only?: string[];
  release?: string;
  version?: string;
}

/** Throws USAGE when an option does not apply to `source` (a project, a chart directory or a packaged chart). */
export function checkModeFlags(source: Source, input: string | undefined, options: ModeFlags): void {
  const what = input ?? '.';
  if (source.kind === 'project') {
    if (options.release !== undefined) {
      throw new KcError('USAGE', `${what} is a project, not a chart: its app names the releases`, {
        hint: `render a project with \`kc synth ${what} --env <name>\`; a release name goes with a chart`,
      });
    }
    return;
  }
  if (options.env !== undefined) {
    throw new KcError('USAGE', `--env ${options.env}: ${what} is a chart, not a project, and has no environments`, {
      hint: 'set values with -f/--set, or pass the project directory whose kc.config.ts declares the environment',
    });
  }
  if (options.only?.length) {
    throw new KcError('USAGE', `--only selects releases of a project; ${what} is a chart`, { hint: 'drop --only' });
  }
  if (options.version !== undefined && (source.kind === 'chart' || source.kind === 'helm')) {
    throw new KcError('USAGE', `--version ${options.version}: ${what} is a chart directory, which has one version`, {
      hint: 'drop --version, or name a repository chart (repo/chart) or a chart URL to pick a version',
    });
  }
}
