// Writes small kc projects into a temporary folder, so tests can change an app between deploys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary project folder; `write` replaces files, `remove` deletes the folder. */
export interface TempProject {
  dir: string;
  write(files: Record<string, string>): void;
  remove(): void;
}

/** Creates a temporary project with the given files (paths relative to it). */
export function tempProject(files: Record<string, string>): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-proj-'));
  const write = (f: Record<string, string>) => {
    for (const [name, text] of Object.entries(f)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  };
  write(files);
  return { dir, write, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A project file with one environment `test` and no values. */
export const PROJECT_FILE = `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { test: { context: 'current' } } });
`;

/** A chart class rendering ConfigMaps named by its values (name → data), used by several tests. */
export const CONFIG_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({ maps: z.record(z.string(), z.record(z.string(), z.string())).default({}) });

export class Maps extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'maps', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Maps.meta, props);
    for (const [name, data] of Object.entries(this.values.maps)) {
      new k8s.KubeConfigMap(this, name, { metadata: { name: \`\${id}-\${name}\` }, data });
    }
  }
}
export default Maps;
`;
