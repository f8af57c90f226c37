import path from 'node:path';
import { KcError } from '../errors/index.js';
import type { FileSystem } from '../io/file-system.js';

export { chartFiles } from './chart-files.js';
export { projectFiles, type ProjectSpec } from './project-files.js';
export { chartNames, checkChartName, dnsLabel, type ChartNames } from './names.js';

/** Writes files under `dir` (paths relative to it), refusing to overwrite any unless `force`; returns the paths written. */
export function writeFiles(fs: FileSystem, dir: string, files: Record<string, string>, force = false): string[] {
  const paths = Object.keys(files).sort().map((rel) => path.join(dir, rel));
  const existing = paths.filter((p) => fs.exists(p));
  if (existing.length > 0 && !force) {
    throw new KcError('ALREADY_EXISTS', `${existing.length} file(s) already exist in ${dir}`, {
      details: existing,
      hint: 'choose another folder or name, or pass --force to overwrite them',
    });
  }
  for (const p of paths) fs.writeText(p, files[path.relative(dir, p)]);
  return paths;
}
export { kcCompilerOptions } from './compiler-options.js';
