// scripts/direct-builtins.mjs: the CLI bundle imports each Node builtin once, without esbuild's per-file interop copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, test } from '@jest/globals';
import * as esbuild from 'esbuild';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { directBuiltins } from '../../../scripts/direct-builtins.mjs';

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
});
