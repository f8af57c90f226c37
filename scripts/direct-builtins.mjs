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

/** The plugin: ES `import`s of Node builtins resolve to one shared module each; `require()` calls are left alone. */
export const directBuiltins = {
  name: 'direct-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_0-9/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (args.kind !== 'import-statement' || !BUILTINS.has(name)) return undefined;
      return { path: name, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: [
        `const m = require(${JSON.stringify(`node:${args.path}`)});`,
        'export default m;',
        ...namedExports(args.path).map((k) => `export const ${k} = m.${k};`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};
