import path from 'node:path';
import type { KcContext } from '../context.js';
import { PROJECT_FILES } from '../config/locate.js';
import { chartFiles, chartNames, writeFiles } from '../scaffold/index.js';

/** Options of `kc create NAME`. */
export interface CreateOptions {
  name: string;
  /** Folder the chart folder is created in (default: `charts` inside a project, else the current folder). */
  dir?: string;
  /** Overwrite existing files. */
  force?: boolean;
}

/** What `kc create` made. */
export interface CreateResult {
  name: string;
  /** The chart folder. */
  dir: string;
  className: string;
  files: string[];
}

/** `kc create NAME`: a new chart like `helm create`'s, as a typed kc chart. */
export function create(ctx: KcContext, options: CreateOptions): CreateResult {
  const names = chartNames(options.name);
  const inProject = PROJECT_FILES.some((f) => ctx.fs.exists(path.join(ctx.cwd, f)));
  const parent = path.resolve(ctx.cwd, options.dir ?? (inProject ? 'charts' : '.'));
  const dir = path.join(parent, names.name);
  const files = writeFiles(ctx.fs, dir, chartFiles(names), options.force);
  return { name: names.name, dir, className: names.className, files };
}
