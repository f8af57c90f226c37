import path from 'node:path';
import type { KcContext } from '../context.js';
import { KC_PACKAGE_NAME, KC_PACKAGE_VERSION, kcRoot } from '../kc-root.js';
import { kcDependencySpec } from '../scaffold/kc-dependency.js';
import { chartFiles, chartNames, dnsLabel, projectFiles, writeFiles } from '../scaffold/index.js';

/** Options of `kc init [DIR]`. */
export interface InitOptions {
  /** Project folder (default: the current folder); created when missing. */
  dir?: string;
  /** Project name (default: the folder's name, as a DNS label). */
  name?: string;
  /** Name of the project's first chart (default: the project name). */
  chart?: string;
  /** Overwrite existing files. */
  force?: boolean;
}

/** What `kc init` made. */
export interface InitResult {
  dir: string;
  name: string;
  chart: string;
  chartDir: string;
  files: string[];
}

/** `kc init [DIR]`: a project with dev and prod environments and an app using one new chart. */
export function init(ctx: KcContext, options: InitOptions): InitResult {
  const dir = path.resolve(ctx.cwd, options.dir ?? '.');
  const name = options.name ? dnsLabel(options.name) : dnsLabel(path.basename(dir));
  const chart = chartNames(options.chart ?? name);
  const chartDir = path.join(dir, 'charts', chart.name);
  const kcDependency = kcDependencySpec(kcRoot(), KC_PACKAGE_NAME, KC_PACKAGE_VERSION);
  const files = {
    ...projectFiles({ name, chart, kcRoot: kcRoot(), kcDependency }),
    ...Object.fromEntries(Object.entries(chartFiles(chart)).map(([rel, text]) => [path.join('charts', chart.name, rel), text])),
  };
  return { dir, name, chart: chart.name, chartDir, files: writeFiles(ctx.fs, dir, files, options.force) };
}
