import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { sourceFiles, typecheck } from '../../../src/lint/index.js';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-typecheck-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('typecheck', () => {
  test('without a tsconfig.json, kc/config and zod resolve from kc; type errors name file:line:col', async () => {
    const dir = folder({
      'kc.config.ts': "import { defineConfig } from 'kc/config';\nexport default defineConfig({ app: './app.ts' });\n",
      'lib/values.ts': "import { z } from 'zod';\nexport const v = z.object({ n: z.number() });\nexport const bad: number = v.parse({ n: 1 }).n + '';\n",
    });
    const result = await typecheck(dir, dir);
    expect(result.version).toMatch(/^\d+\.\d+/);
    expect(result.configFile).toBeUndefined();
    expect(result.findings).toEqual([
      {
        level: 'error', rule: 'typescript', file: path.join('lib', 'values.ts') + ':3:14',
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
        fix: 'fix the code at the location shown (npx tsc --noEmit shows the same error)',
      },
    ]);
  }, 30_000);

  test('a broken tsconfig.json is reported against the file', async () => {
    const dir = folder({ 'tsconfig.json': '{ "compilerOptions": { "strict": "yes" } }', 'a.ts': 'export const a = 1;\n' });
    const result = await typecheck(dir, dir);
    expect(result.configFile).toBe(path.join(dir, 'tsconfig.json'));
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringContaining("TS5024: Compiler option 'strict' requires a value of type boolean")]);
  }, 30_000);

  test('without TypeScript, a warning says types were not checked', async () => {
    const result = await typecheck(folder({ 'a.ts': '' }), '/', async () => undefined);
    expect(result.version).toBeUndefined();
    expect(result.findings).toEqual([expect.objectContaining({ level: 'warning', rule: 'typescript', message: 'TypeScript is not installed, so types were not checked' })]);
  });

  test('sourceFiles skips node_modules, dist, hidden folders and declaration files', () => {
    const dir = folder({ 'a.ts': '', 'b.d.ts': '', 'c.mts': '', 'node_modules/x/i.ts': '', 'dist/d.ts': '', '.cache/e.ts': '', 'sub/f.ts': '', 'g.js': '' });
    expect(sourceFiles(dir).map((f) => path.relative(dir, f))).toEqual(['a.ts', 'c.mts', path.join('sub', 'f.ts')]);
  });
});
