// Where `kc lint` gets Kubernetes schemas: the files shipped in src/lint/schemas, or a live API server.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { KcError } from '../errors/index.js';
import { kcRoot } from '../kc-root.js';
import { loadClusterConnection, type ClusterSelector } from '../kube/kubeconfig.js';
import { expectJsonObject, successBody } from '../kube/response-check.js';
import { createTransport } from '../kube/transport.js';
import { invalidResponse } from '../kube/transport-errors.js';
import { compactOpenApi, groupVersionPaths, type KubeSchemaSet, type OpenApiDocument } from './openapi.js';

const schemaDir = () => path.join(kcRoot(), 'src', 'lint', 'schemas');

/** The Kubernetes versions kc ships schemas for (`1.36`, ...), newest first. */
export function bundledKubeVersions(): string[] {
  const files = fs.existsSync(schemaDir()) ? fs.readdirSync(schemaDir()) : [];
  return files
    .map((f) => /^v(\d+\.\d+)\.json\.gz$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]) || Number(b.split('.')[0]) - Number(a.split('.')[0]));
}

const loaded = new Map<string, KubeSchemaSet>();

/** The shipped schemas of a Kubernetes minor version (`1.36`, `v1.36` or `1.36.3`); the newest when unset. */
export function bundledKubeSchemas(version?: string): KubeSchemaSet {
  const available = bundledKubeVersions();
  const wanted = version === undefined ? available[0] : /^v?(\d+\.\d+)(\.\d+)?$/.exec(version.trim())?.[1];
  if (!wanted || !available.includes(wanted)) {
    throw new KcError('KUBE_VERSION_UNKNOWN', `kc has no schemas for Kubernetes ${version ?? '(any version)'}`, {
      hint: `available: ${available.join(', ') || '(none)'}; or validate against a live cluster with --server`,
    });
  }
  let set = loaded.get(wanted);
  if (!set) {
    set = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(schemaDir(), `v${wanted}.json.gz`))).toString('utf8')) as KubeSchemaSet;
    loaded.set(wanted, set);
  }
  return set;
}

/** A JSON text's value, or the text itself when it is not JSON (so the shape check names what came instead). */
function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Fetches `/openapi/v3` and every group-version document from the cluster a kubeconfig names. */
export async function serverKubeSchemas(selector: ClusterSelector): Promise<KubeSchemaSet> {
  const conn = await loadClusterConnection(selector);
  const transport = createTransport(conn);
  const get = async (urlPath: string) => {
    const res = await transport.request({ method: 'GET', path: urlPath });
    const what = `GET ${urlPath}`;
    // The /openapi/v3 index is served as text/plain, so the transport leaves it undecoded.
    const body = successBody(res, what);
    return expectJsonObject({ ...res, body: typeof body === 'string' ? parseJsonText(body) : body }, what);
  };
  try {
    const [version, index] = await Promise.all([get('/version'), get('/openapi/v3')]);
    if (typeof version.gitVersion !== 'string') throw invalidResponse('GET /version', 'it has no gitVersion');
    const paths = isRecord(index.paths) ? groupVersionPaths({ paths: index.paths }) : [];
    // Every API server serves api/v1: an index without it is not an OpenAPI v3 index of a cluster.
    if (!paths.includes('api/v1')) throw invalidResponse('GET /openapi/v3', 'it lists no api/v1 document');
    const docs = await Promise.all(paths.map((p) => get(`/openapi/v3/${p}`)));
    docs.forEach((doc, i) => {
      if (!isRecord(doc.components) || !isRecord(doc.components.schemas)) {
        throw invalidResponse(`GET /openapi/v3/${paths[i]}`, 'it has no components.schemas');
      }
    });
    const byPath = Object.fromEntries(paths.map((p, i) => [p, docs[i] as OpenApiDocument]));
    return compactOpenApi(byPath, version.gitVersion);
  } finally {
    transport.close();
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
