import path from 'node:path';
import { KcError, isKcError } from '../errors/index.js';
import type { FileSystem } from '../io/file-system.js';
import { parsePackagedSource, type PackagedSource } from '../repo/chart-source.js';
import { PROJECT_FILES } from './project-files.js';

export { PROJECT_FILES };

/** What a path given on the command line points at. */
export type Target =
  | { kind: 'project'; dir: string; configFile: string }
  | { kind: 'chart'; dir: string; entry: string; packageJson?: Record<string, unknown> };

/** Decides whether `input` is a project (has kc.config.ts) or a chart directory (package.json/index.ts). */
export function locateTarget(fs: FileSystem, cwd: string, input: string | undefined): Target {
  const dir = path.resolve(cwd, input ?? '.');
  if (!fs.exists(dir)) {
    throw new KcError('PROJECT_NOT_FOUND', `${input ?? '.'} does not exist`, {
      hint: 'pass a project directory (with kc.config.ts) or a chart directory, e.g. examples/mysql or charts/mysql',
    });
  }
  for (const name of PROJECT_FILES) {
    const file = path.join(dir, name);
    if (fs.exists(file)) return { kind: 'project', dir, configFile: file };
  }
  const pkgFile = path.join(dir, 'package.json');
  let packageJson: Record<string, unknown> | undefined;
  if (fs.exists(pkgFile)) {
    try {
      packageJson = JSON.parse(fs.readText(pkgFile)) as Record<string, unknown>;
    } catch (err) {
      throw new KcError(
        'CHART_INVALID',
        `${path.relative(cwd, pkgFile) || pkgFile} is not valid JSON: ${(err as Error).message}`,
        {
          hint: "fix the JSON syntax of the chart's package.json",
        },
      );
    }
  }
  const kcField = packageJson?.kc as { chart?: string } | undefined;
  const candidates = [kcField?.chart, packageJson?.main as string | undefined, 'index.ts'].filter(
    (c): c is string => !!c,
  );
  for (const candidate of candidates) {
    const entry = path.join(dir, candidate);
    if (fs.exists(entry) && /\.(m?ts|m?js)$/.test(entry)) return { kind: 'chart', dir, entry, packageJson };
  }
  if (fs.exists(path.join(dir, 'Chart.yaml'))) {
    throw new KcError(
      'PROJECT_NOT_FOUND',
      `${input ?? '.'} is a Helm chart (Chart.yaml), which this command does not take`,
      {
        hint: 'kc install, upgrade, template and diff take a Helm chart as it is; `helm lint` and `helm package` work on it',
      },
    );
  }
  throw new KcError('PROJECT_NOT_FOUND', `${input ?? '.'} holds neither a kc.config.ts project nor a chart`, {
    hint: 'run `kc init` to start a project, or pass a chart directory with an index.ts exporting a KcChart class',
  });
}

/** A Helm chart directory (Chart.yaml, no kc chart or project): rendered by `helm template`. */
export interface HelmDirSource {
  kind: 'helm';
  dir: string;
}

/** A project, a chart directory, a Helm chart directory, or a packaged chart (.tgz, URL, `repo/chart[@range]`). */
export type Source = Target | HelmDirSource | PackagedSource;

/**
 * Like locateTarget, and also recognizes packaged charts: a `.tgz` path, an http(s) URL, or `repo/chart[@range]`
 * when no such local path exists (a local directory always wins, as with Helm).
 */
export function locateSource(fs: FileSystem, cwd: string, input: string | undefined): Source {
  const packaged = input === undefined ? undefined : parsePackagedSource(input, cwd, (file) => fs.exists(file));
  if (packaged) return packaged;
  try {
    return locateTarget(fs, cwd, input);
  } catch (err) {
    // A folder that is neither a kc project nor a kc chart but holds Chart.yaml is a Helm chart.
    const dir = path.resolve(cwd, input ?? '.');
    if (isKcError(err) && err.code === 'PROJECT_NOT_FOUND' && fs.exists(path.join(dir, 'Chart.yaml'))) {
      return { kind: 'helm', dir };
    }
    throw err;
  }
}
