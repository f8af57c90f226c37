// Recognizing Helm charts: a directory or a .tgz holding Chart.yaml, read for its name and version.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readArchive } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import type { ChartInfo } from '../chart/protocol.js';

/** The identity of a Helm chart, from its Chart.yaml. */
export function helmChartInfo(chartYaml: string, label: string): ChartInfo {
  let doc: unknown;
  try {
    doc = parse(chartYaml, { maxAliasCount: 100 });
  } catch (err) {
    throw new KcError(
      'CHART_INVALID',
      `${label}: Chart.yaml is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'fix Chart.yaml (`helm lint` shows the same)',
      },
    );
  }
  const c = (doc ?? {}) as Record<string, unknown>;
  if (typeof c.name !== 'string' || typeof c.version !== 'string') {
    throw new KcError('CHART_INVALID', `${label}: Chart.yaml has no name or no version`, {
      hint: "a Helm chart's Chart.yaml names the chart and its version (`helm lint` shows the same)",
    });
  }
  return {
    name: c.name,
    version: c.version,
    ...(typeof c.appVersion === 'string' ? { appVersion: c.appVersion } : {}),
    ...(typeof c.description === 'string' ? { description: c.description } : {}),
  };
}

/** True for a directory holding a Helm chart (Chart.yaml). */
export function isHelmChartDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'Chart.yaml'));
}

/** The Chart.yaml of a Helm chart archive (one top folder holding Chart.yaml, no kc manifest.json); else undefined. */
export async function helmArchiveChartYaml(archive: Buffer, label: string): Promise<string | undefined> {
  const files = await readArchive(archive, label);
  if (files.has('manifest.json')) return undefined;
  const tops = new Set([...files.keys()].map((f) => f.split('/')[0]));
  if (tops.size !== 1) return undefined;
  return files.get(`${[...tops][0]}/Chart.yaml`)?.toString('utf8');
}
