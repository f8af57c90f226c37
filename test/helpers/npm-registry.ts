// An npm registry on 127.0.0.1 for installing a packed tarball without the network: it serves the tarball as its
// package's only version, and for every other package only the versions a lockfile names, with their integrity
// but no bytes (a request for one of their tarballs gets 404). npm then resolves each dependency to its locked
// version and takes the tarball from its cache by integrity, or fails. Every request is recorded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import semver from 'semver';

/** A package-lock.json (lockfileVersion 3), as far as the registry reads it. */
export interface Lockfile {
  packages: Record<
    string,
    Record<string, unknown> & {
      name?: string;
      version?: string;
      integrity?: string;
      link?: boolean;
      inBundle?: boolean;
    }
  >;
}

/** A running registry. */
export interface LocalRegistry {
  /** The registry URL, with its trailing slash. */
  url: string;
  /** The path of every request served so far. */
  requests: string[];
  close(): Promise<void>;
}

// What a packument's version object carries of a lock entry (npm builds its tree from these).
const MANIFEST_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'engines',
  'os',
  'cpu',
  'license',
];

/** Every locked package version, by package name: the fields npm needs and the integrity of its tarball. */
function lockedVersions(lock: Lockfile): Map<string, Map<string, Record<string, unknown>>> {
  const byName = new Map<string, Map<string, Record<string, unknown>>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link || entry.inBundle || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const fields = Object.fromEntries(MANIFEST_FIELDS.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
    const versions = byName.get(name) ?? new Map<string, Record<string, unknown>>();
    versions.set(entry.version, { name, version: entry.version, ...fields, integrity: entry.integrity });
    byName.set(name, versions);
  }
  return byName;
}

/**
 * Serves `tarball` as `manifest.name@manifest.version` and the packages of `lock`. `hasShrinkwrap` is what a
 * registry says of a package published with npm-shrinkwrap.json.
 */
export async function startLocalRegistry(
  tarball: string,
  manifest: { name: string; version: string },
  hasShrinkwrap: boolean,
  lock: Lockfile,
): Promise<LocalRegistry> {
  const data = fs.readFileSync(tarball);
  const file = (name: string, version: string) => `${name}/-/${name.split('/').pop()}-${version}.tgz`;
  const own = `/${file(manifest.name, manifest.version)}`;
  const locked = lockedVersions(lock);
  const requests: string[] = [];
  let url = '';
  const packument = (name: string) => {
    if (name === manifest.name) {
      const integrity = `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`;
      const version = {
        ...manifest,
        _hasShrinkwrap: hasShrinkwrap,
        dist: { tarball: `${url}${own.slice(1)}`, integrity },
      };
      return { name, 'dist-tags': { latest: manifest.version }, versions: { [manifest.version]: version } };
    }
    const versions = locked.get(name);
    if (!versions) return undefined;
    const entries = [...versions.values()].map(({ integrity, ...m }) => [
      m.version,
      { ...m, dist: { tarball: `${url}${file(name, String(m.version))}`, integrity } },
    ]);
    return {
      name,
      'dist-tags': { latest: semver.rsort([...versions.keys()])[0] },
      versions: Object.fromEntries(entries),
    };
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const body =
      path === own ? undefined : path.includes('/-/') ? undefined : packument(decodeURIComponent(path.slice(1)));
    if (path === own) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
    else if (body) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
