// kc.config.ts's environment values typed by the app's charts, checked by the TypeScript compiler the way kc lint
// runs it (typecheck(): kc's compiler options, kc/chart and kc/config resolved from this checkout).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { typecheck } from '../../../src/lint/index.js';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-typed-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const chart = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { KcChart, type ChartMeta } from 'kc/chart';

export const dbValues = z.object({
  rootPassword: z.string(),
  persistence: z.object({ enabled: z.boolean().default(true), size: z.string().default('4Gi') }).prefault({}),
  args: z.array(z.string()).default([]),
});

export class DbChart extends KcChart<typeof dbValues> {
  static readonly meta: ChartMeta<typeof dbValues> = { name: 'db', version: '1.0.0', schema: dbValues };
  constructor(scope: Construct, id: string, props: z.input<typeof dbValues>) {
    super(scope, id, DbChart.meta, props);
  }
}
`;

const app = `import { defineApp, HelmRelease } from 'kc/chart';
import { DbChart } from './db.js';

interface CacheValues { replicas?: number; auth?: { enabled?: boolean } }

export default defineApp((app) => {
  const db = new DbChart(app, 'db', { rootPassword: 'root' });
  const cache = new HelmRelease<CacheValues>(app, 'cache', { chart: 'charts/cache' });
  return { db, cache };
});
`;

/** A project file whose prod values for `db` set `key`. */
const config = (key: string) => `import { defineConfig } from 'kc/config';
import type app from './app.js';

export default defineConfig<typeof app>({
  app: './app.ts',
  environments: {
    dev: {
      values: { db: { persistence: { enabled: false }, args: ['--verbose'] }, cache: { auth: { enabled: false } } },
    },
    prod: {
      values: {
        db: { ${key}: { size: '20Gi', enabled: null } },
      },
      yieldFields: { cache: { 'Deployment/cache': ['spec.replicas'] } },
    },
  },
});
`;

const errors = (found: Awaited<ReturnType<typeof typecheck>>) => found.findings.map((f) => `${f.file} ${f.message}`);

describe('defineConfig<typeof app>', () => {
  test('a misspelt key under environments.prod.values.db is a TS error naming it; the right key passes', async () => {
    const bad = project({ 'db.ts': chart, 'app.ts': app, 'kc.config.ts': config('persistance') });
    const found = await typecheck(bad, bad);
    expect(found.findings).toHaveLength(1);
    expect(found.findings[0]).toMatchObject({ level: 'error', rule: 'typescript', file: 'kc.config.ts:12:15' });
    expect(found.findings[0].message).toMatch(
      /^TS2561: Object literal may only specify known properties, but 'persistance' does not exist/,
    );
    expect(found.findings[0].message).toContain("Did you mean to write 'persistence'?");

    const good = project({ 'db.ts': chart, 'app.ts': app, 'kc.config.ts': config('persistence') });
    expect(errors(await typecheck(good, good))).toEqual([]);
  }, 60_000);

  test('types and release names are checked; untyped projects and apps returning nothing stay open', async () => {
    const dir = project({
      'db.ts': chart,
      'app.ts': app,
      'kc.config.ts': `import { defineConfig } from 'kc/config';
import type app from './app.js';

export default defineConfig<typeof app>({
  app: './app.ts',
  environments: {
    a: { values: { db: { persistence: { size: 20 } } } },
    b: { values: { dbb: {} } },
    c: { values: { cache: { replicas: '3' } } },
  },
});
`,
      // No type argument: any release and any key, as before.
      'untyped.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { dev: { values: { anything: { goes: 1 } } } } });
`,
      // An app that returns nothing gives no release names to check.
      'void-app.ts': `import { defineApp } from 'kc/chart';
import { defineConfig } from 'kc/config';
import { DbChart } from './db.js';
const app = defineApp((a) => { new DbChart(a, 'db', { rootPassword: 'x' }); });
export default defineConfig<typeof app>({
  app: './void-app.ts',
  environments: { dev: { values: { other: { x: 1 } } } },
});
`,
    });
    expect(errors(await typecheck(dir, dir))).toEqual([
      "kc.config.ts:7:41 TS2322: Type 'number' is not assignable to type 'string'.",
      expect.stringMatching(
        /^kc\.config\.ts:8:20 TS2353: Object literal may only specify known properties, and 'dbb' does not exist/,
      ),
      "kc.config.ts:9:29 TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  }, 60_000);
});
