// Regenerates src/lint/schemas/v<major>.<minor>.json.gz, the Kubernetes OpenAPI v3 schemas `kc lint`
// validates against offline, from a real API server:
//
//   KUBECONFIG=$(npm run --silent cluster:kubeconfig) node scripts/update-kube-schema.mjs
//
// It reads /openapi/v3 and every built-in group-version document with `kubectl get --raw` (set KUBECTL
// to use another kubectl), keeps only what validation needs (no descriptions or defaults) and writes
// deterministic gzip'd JSON named after the server's minor version.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubectl = process.env.KUBECTL || 'kubectl';

// Aggregated APIs and CRDs are not part of a Kubernetes release, so only these groups are kept.
const BUILT_IN = /^(api\/v1|apis\/([a-z0-9.-]+\.k8s\.io|apps|batch|autoscaling|policy)\/v[0-9a-z]+)$/;

function raw(urlPath) {
  return JSON.parse(execFileSync(kubectl, ['get', '--raw', urlPath], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
}

/** Loads src/lint/openapi.ts (TypeScript) through esbuild, so the script and kc share one compaction. */
async function loadOpenApiModule() {
  const out = await esbuild.build({ entryPoints: [path.join(root, 'src/lint/openapi.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

const { compactOpenApi, groupVersionPaths } = await loadOpenApiModule();
const version = raw('/version').gitVersion;
const minor = /^v?(\d+)\.(\d+)/.exec(version);
if (!minor) throw new Error(`unexpected server version ${version}`);
const docs = {};
for (const gv of groupVersionPaths(raw('/openapi/v3')).filter((p) => BUILT_IN.test(p))) docs[gv] = raw(`/openapi/v3/${gv}`);
const set = compactOpenApi(docs, version.replace(/[-+].*$/, ''));
const file = path.join(root, 'src/lint/schemas', `v${minor[1]}.${minor[2]}.json.gz`);
fs.mkdirSync(path.dirname(file), { recursive: true });
// mtime 0 and a fixed OS byte in the gzip header keep the file byte-identical across runs.
const gz = zlib.gzipSync(JSON.stringify(set), { level: 9 });
gz.writeUInt32LE(0, 4);
gz[9] = 3;
fs.writeFileSync(file, gz);
console.log(`wrote ${path.relative(root, file)}: ${set.groupVersions.length} group-versions, ${Object.keys(set.schemas).length} schemas, ${gz.length} bytes`);
