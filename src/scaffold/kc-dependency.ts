// How a new project depends on the kc that made it. The key is `kc`, whatever the package is called on npm, so the
// project's `import ... from 'kc/chart'` resolves through node_modules/kc for every tool (tsc, editors, test
// runners), and node_modules/.bin/kc is this kc: `npx kc` and the package.json scripts never reach npm's unrelated
// `kc` package.
import fs from 'node:fs';
import path from 'node:path';

/** npm's record of what it installed in a node_modules folder (the hidden lockfile), as far as kc reads it. */
interface HiddenLockfile {
  packages?: Record<string, { resolved?: string } | undefined>;
}

/** Where npm got the package installed at `root` (`resolved`), when npm's hidden lockfile says so. */
function installedFrom(root: string): string | undefined {
  const modules = path.dirname(root);
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(modules, '.package-lock.json'), 'utf8')) as HiddenLockfile;
    const key = Object.keys(lock.packages ?? {}).find((k) => path.resolve(path.dirname(modules), k) === root);
    return key === undefined ? undefined : lock.packages?.[key]?.resolved;
  } catch {
    return undefined;
  }
}

/**
 * The devDependency spec of `kc` in a new project. A kc installed from a registry (npm i -g, npx) names its own
 * package and version, `npm:NAME@^VERSION`, which works on any machine. A kc run from a clone, a directory or a
 * tarball is no published version, so the project links that folder (`file:`), which installs offline too.
 */
export function kcDependencySpec(root: string, name: string, version: string): string {
  const installed = path.basename(path.dirname(root)) === 'node_modules';
  const resolved = installed ? installedFrom(root) : undefined;
  const fromRegistry = installed && (resolved === undefined || /^https?:\/\//.test(resolved));
  return fromRegistry ? `npm:${name}@^${version}` : `file:${root}`;
}
