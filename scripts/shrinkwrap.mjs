// `npm pack` ships npm-shrinkwrap.json, package-lock.json without the dev-only packages: an installed kc (npm i -g,
// npx) gets exactly the dependency versions it was tested with, not the newest a range allows, and an offline
// install from the npm cache `npm ci` filled finds every one of them. npm recommends this for global CLIs.
// prepack writes the file; postpack (`--remove`) deletes it, so the clone keeps one lockfile.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = path.join(root, 'npm-shrinkwrap.json');

// npm's tarball address for a registry package; npm swaps the host for the registry it is configured with.
const tarballUrl = (name, version) => `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;

/**
 * A lock entry with its `resolved` address: a lockfile written with omit-lockfile-registry-resolved has none, and
 * then npm would look each package up in the registry by name, when it can take it from its cache by integrity.
 */
function withResolved(key, entry) {
  if (key === '' || entry.resolved || entry.link || entry.inBundle || !entry.version || !entry.integrity) return entry;
  return {
    ...entry,
    resolved: tarballUrl(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 13), entry.version),
  };
}

/** Writes npm-shrinkwrap.json from package-lock.json, dropping the packages only kc's development needs. */
export function writeShrinkwrap() {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = Object.entries(lock.packages)
    .filter(([, entry]) => !entry.dev)
    .map(([key, entry]) => [key, withResolved(key, entry)]);
  fs.writeFileSync(target, JSON.stringify({ ...lock, packages: Object.fromEntries(packages) }, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--remove')) fs.rmSync(target, { force: true });
  else writeShrinkwrap();
}
