// An esbuild plugin for the CLI bundle: `import fs from 'node:fs'` in an ES module bundled as CommonJS becomes
// `__toESM(require("node:fs"))` in every importing file, and each call copies every export of the builtin as a
// getter: ~4,000 property definitions and ~9 ms at each start of kc. Here each builtin is one small ES module
// instead, evaluated once, whose default export is the builtin itself.
import { builtinModules, createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const BUILTINS = new Set(builtinModules);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Named exports of a builtin that are plain values (getters, e.g. fs.promises, stay behind the default export). */
function namedExports(name) {
  const mod = require(`node:${name}`);
  return Object.keys(mod).filter((k) => k !== 'default' && IDENTIFIER.test(k) && !Object.getOwnPropertyDescriptor(mod, k)?.get);
}

// Builtins most commands never use, loaded on first use instead of at start (Node compiles each on load):
// http/https serve only the HTTP/1.1 fallback and chart repositories, child_process only sandboxed renders and
// commander's executable subcommands (which kc has none of). ~13 ms of each start, a no-op deploy's ~5%.
const LAZY = new Set(['http', 'https', 'child_process']);

/** A builtin required on first use: a Proxy as the default export, and a forwarding function per function export. */
function lazyModule(name, esm) {
  const mod = require(`node:${name}`);
  const functions = Object.keys(mod).filter((k) => k !== 'default' && IDENTIFIER.test(k) && typeof mod[k] === 'function');
  const load = `let m;\nconst load = () => m || (m = require(${JSON.stringify(`node:${name}`)}));`;
  const proxy = 'new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, k) => { const d = Object.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; } })';
  if (!esm) return [load, `module.exports = ${proxy};`].join('\n');
  return [
    load,
    `export default ${proxy};`,
    // Functions only: a named import of a constant (http.METHODS) fails the build instead of loading early.
    ...functions.map((k) => `export function ${k}(...a) { return new.target ? Reflect.construct(load().${k}, a) : load().${k}.apply(this, a); }`),
  ].join('\n');
}

/**
 * The plugin: ES `import`s of Node builtins resolve to one shared module each; `require()` calls are left alone,
 * except of the lazy builtins, which both kinds get on first use.
 */
export const directBuiltins = {
  name: 'direct-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_0-9/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // The plugin's own modules require the real builtin.
      if (!BUILTINS.has(name) || args.namespace === 'builtin' || args.namespace === 'lazy-require') return undefined;
      if (args.kind === 'require-call' && LAZY.has(name)) return { path: name, namespace: 'lazy-require' };
      if (args.kind !== 'import-statement') return undefined;
      return { path: name, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: LAZY.has(args.path)
        ? lazyModule(args.path, true)
        : [
            `const m = require(${JSON.stringify(`node:${args.path}`)});`,
            'export default m;',
            ...namedExports(args.path).map((k) => `export const ${k} = m.${k};`),
          ].join('\n'),
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ contents: lazyModule(args.path, false), loader: 'js' }));
  },
};

/** The builtins a bundle built with the plugin loads as it starts (from esbuild's metafile): not the lazy ones. */
export function eagerBuiltins(metafile) {
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith('builtin:') && !LAZY.has(input.slice('builtin:'.length)))
    .map((input) => `node:${input.slice('builtin:'.length)}`)
    .sort();
}
