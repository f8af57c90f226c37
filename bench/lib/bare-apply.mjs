// The floor of kc's apply phase: a bare HTTP/2 client sending the same server-side applies kc sends (one session,
// as many at once as kc, fieldValidation=Ignore), with no CLI, chart, release record, lock or readiness around them.
// The release benchmark sets its wall time beside the apply phase of a traced kc install.
import fs from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

// The kinds of the benchmark's chart (bench/lib/release-fixtures.mjs), all core/v1.
const PLURALS = { ConfigMap: 'configmaps', Secret: 'secrets', Service: 'services' };

/** TLS material of the kubeconfig's current context: inline data or files (relative to the kubeconfig). */
function connection(kubeconfigFile) {
  const config = parse(fs.readFileSync(kubeconfigFile, 'utf8'));
  const context = config.contexts.find((c) => c.name === config['current-context']).context;
  const cluster = config.clusters.find((c) => c.name === context.cluster).cluster;
  const user = config.users.find((u) => u.name === context.user).user;
  const read = (data, file) => (data ? Buffer.from(data, 'base64') : file ? fs.readFileSync(path.resolve(path.dirname(kubeconfigFile), file)) : undefined);
  return {
    server: cluster.server,
    tls: {
      ca: read(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: read(user['client-certificate-data'], user['client-certificate']),
      key: read(user['client-key-data'], user['client-key']),
      rejectUnauthorized: !cluster['insecure-skip-tls-verify'],
    },
    headers: user.token ? { authorization: `Bearer ${user.token}` } : {},
  };
}

/**
 * Applies the objects of `yamlText` into `namespace` (which must exist) and returns { wallMs, cpuMs } of the applies
 * alone. Bounded: one request per object, each failing after `requestTimeoutMs`; the server must be on loopback.
 */
/** Requests in flight at once: kc's own default over HTTP/2 (src/kube/transport.ts). */
export const BARE_IN_FLIGHT = 64;

export async function bareApply({ kubeconfig, yamlText, namespace, inFlight = BARE_IN_FLIGHT, requestTimeoutMs = 30_000 }) {
  const conn = connection(kubeconfig);
  const host = new URL(conn.server).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`bare apply only runs against loopback, not ${host}`);
  const objects = parseAllDocuments(yamlText).map((d) => d.toJS()).filter(Boolean);
  const session = http2.connect(conn.server, conn.tls);
  session.on('error', () => undefined); // each stream reports its own failure
  const apply = (o) =>
    new Promise((resolve, reject) => {
      const plural = PLURALS[o.kind];
      if (!plural || o.apiVersion !== 'v1') return reject(new Error(`bare apply does not know ${o.apiVersion} ${o.kind}`));
      const body = JSON.stringify({ ...o, metadata: { ...o.metadata, namespace } });
      const stream = session.request({
        ...conn.headers,
        ':method': 'PATCH',
        ':path': `/api/v1/namespaces/${namespace}/${plural}/${o.metadata.name}?fieldManager=bench-bare&fieldValidation=Ignore`,
        'content-type': 'application/apply-patch+yaml',
        accept: 'application/json',
      });
      const chunks = [];
      let status = 0;
      stream.setTimeout(requestTimeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL));
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        JSON.parse(text); // decoded, as any client would
        if (status >= 300) reject(new Error(`apply ${o.kind}/${o.metadata.name}: HTTP ${status}: ${text.slice(0, 200)}`));
        else resolve();
      });
      stream.on('close', () => status === 0 && reject(new Error(`apply ${o.kind}/${o.metadata.name}: no answer`)));
      stream.on('error', reject);
      stream.end(body);
    });
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < objects.length) await apply(objects[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, objects.length) }, worker));
    const cpu = process.cpuUsage(cpu0);
    return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, objects: objects.length };
  } finally {
    session.close();
  }
}
