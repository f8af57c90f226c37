import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of kc's own package.json, found from wherever this module was loaded (src/ or dist/). */
export function kcRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kc') return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find kc\'s package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
