import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../package.json' with { type: 'json' };

let root: string | undefined;

/** kc's npm package name, from its package.json (`kc` on npm is an unrelated package; the command is `kc`). */
export const KC_PACKAGE_NAME: string = pkg.name;

/** kc's version, from its package.json. */
export const KC_PACKAGE_VERSION: string = pkg.version;

const readName = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name;

/** The folder of kc's own package.json, found from wherever this module was loaded (src/ or dist/). */
export function kcRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && readName(file) === KC_PACKAGE_NAME) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find kc\'s package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
