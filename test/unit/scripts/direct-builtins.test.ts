// scripts/direct-builtins.mjs: the CLI bundle imports each Node builtin once, without esbuild's per-file interop copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, test } from '@jest/globals';
import * as esbuild from 'esbuild';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { directBuiltins, eagerBuiltins } from '../../../scripts/direct-builtins.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-builtins-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

async function bundle(plugins: esbuild.Plugin[]): Promise<string> {
  const out = path.join(dir, `out-${plugins.length}.cjs`);
  await esbuild.build({ entryPoints: [path.join(dir, 'entry.mjs')], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins, logLevel: 'silent' });
  return out;
}

describe('directBuiltins', () => {
  write('a.mjs', "import fs from 'node:fs';\nimport { join } from 'node:path';\nexport const a = () => [typeof fs.readFileSync, join('x', 'y')];\n");
  write('b.mjs', "import fs from 'fs';\nimport * as path from 'node:path';\nexport const b = () => [fs.existsSync('/'), path.basename('/p/q')];\n");
  write('c.cjs', "const os = require('node:os');\nmodule.exports = () => typeof os.cpus;\n");
  write('entry.mjs', "import { a } from './a.mjs';\nimport { b } from './b.mjs';\nimport c from './c.cjs';\nmodule.exports = { a, b, c };\n");

  test('ES imports of builtins are not wrapped in __toESM; default, named and namespace imports still work', async () => {
    const plain = fs.readFileSync(await bundle([]), 'utf8');
    expect(plain).toMatch(/__toESM\(require\("(node:)?fs"\)/); // what the plugin is for

    const file = await bundle([directBuiltins]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toMatch(/__toESM\(require\("/);
    expect(text.match(/require\("node:fs"\)/g)).toHaveLength(1); // 'fs' and 'node:fs' are one module
    const loaded = createRequire(file)(file) as { a: () => unknown[]; b: () => unknown[]; c: () => string };
    expect(loaded.a()).toEqual(['function', path.join('x', 'y')]);
    expect(loaded.b()).toEqual([true, 'q']);
    expect(loaded.c()).toBe('function'); // require() of a builtin is left to esbuild
  });

  test('http, https and child_process load on first use, for imports and require() alike, and still work', async () => {
    const lazyDir = path.join(dir, 'lazy');
    fs.mkdirSync(lazyDir);
    const put = (name: string, text: string) => fs.writeFileSync(path.join(lazyDir, name), text);
    put('d.mjs', "import https from 'node:https';\nimport { spawnSync } from 'node:child_process';\nexport const d = () => [new https.Agent({ keepAlive: true }) instanceof https.Agent, spawnSync(process.execPath, ['-e', 'process.stdout.write(\"ok\")']).stdout.toString()];\n");
    put('e.cjs', "const cp = require('child_process');\nmodule.exports = () => typeof cp.spawn;\n");
    put('entry.mjs', "import { d } from './d.mjs';\nimport e from './e.cjs';\nmodule.exports = { d, e, loaded: () => ['https', 'child_process'].filter((m) => process.moduleLoadList.includes(`NativeModule ${m}`)) };\n");
    const out = path.join(lazyDir, 'out.cjs');
    await esbuild.build({ entryPoints: [path.join(lazyDir, 'entry.mjs')], bundle: true, platform: 'node', format: 'cjs', outfile: out, plugins: [directBuiltins], logLevel: 'silent' });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toMatch(/=> m\w* \|\| \(m\w* = require\("node:https"\)\)/);
    // A fresh process: jest itself has loaded these builtins long ago.
    const script = `const m = require(${JSON.stringify(out)}); const before = m.loaded(); const d = m.d(); const e = m.e(); console.log(JSON.stringify({ before, d, e, after: m.loaded() }));`;
    const { execFileSync } = await import('node:child_process');
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(result).toEqual({ before: [], d: [true, 'ok'], e: 'function', after: ['https', 'child_process'] });
  });

  test('eagerBuiltins names the builtins a bundle loads as it starts, not the lazy ones', async () => {
    const metaDir = path.join(dir, 'meta');
    fs.mkdirSync(metaDir);
    fs.writeFileSync(path.join(metaDir, 'entry.mjs'), "import zlib from 'node:zlib';\nimport https from 'https';\nimport { spawn } from 'node:child_process';\nconst os = require('node:os');\nexport const f = () => [zlib, https, spawn, os];\n");
    const result = await esbuild.build({
      entryPoints: [path.join(metaDir, 'entry.mjs')], bundle: true, platform: 'node', format: 'cjs', write: false, outdir: path.join(metaDir, 'out'),
      plugins: [directBuiltins], metafile: true, logLevel: 'silent',
    });
    // https and child_process load on first use; a require() of os is left to esbuild (and is cheap to load late).
    expect(eagerBuiltins(result.metafile)).toEqual(['node:zlib']);
  });
});
