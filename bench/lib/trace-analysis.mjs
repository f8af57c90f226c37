// Turns a request trace of one kc process (bench/lib/trace-requests.mjs) into where its wall time went:
// before the first request (node start, CLI, chart bundle + render), each kind of request (busy time: the union
// of the intervals with at least one such request in flight), time with no request in flight between requests
// (kc's own CPU work: manifest YAML, record encoding, …), and after the last response (exit).

/** Sorts requests into what kc sends them for, by path (kc's own record and lock names). */
function categoryOf(e, lastPatchStart) {
  const p = e.path;
  if (p.includes('/leases')) return 'lock (Lease)';
  if (p.includes('/secrets') && (/\/secrets\/kc\./.test(p) || e.method === 'POST' || e.method === 'PUT' || (e.labelSelector ?? '').includes('kc.dev'))) {
    return 'release records + record key (Secrets)';
  }
  if (e.method === 'GET' && !p.includes('/namespaces/') && /^\/(api|apis)(\/[^/]+){0,2}$/.test(p)) return 'API discovery';
  if (/^\/api\/v1\/namespaces\/[^/]+$/.test(p)) return 'namespace check';
  if (e.method === 'PATCH') return 'object server-side apply (PATCH)';
  if (e.method === 'DELETE') return 'object delete (prune)';
  // With no object applied at all (a no-op), the reads are the live-state check: one LIST per kind and namespace.
  if (e.method === 'GET' && lastPatchStart < 0) return 'object LIST (live-state check of a no-op)';
  if (e.method === 'GET') return e.start < lastPatchStart ? 'object GET/LIST before apply (ownership; unchanged objects)' : 'object GET after apply (readiness wait)';
  return `other ${e.method}`;
}

/** Length of the union of [start, end] intervals. */
function unionLength(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/**
 * Returns { wallMs, requests, rows: [{ name, requests?, ms, meanLatencyMs?, meanInFlight? }] } whose `ms` add up
 * to the process's wall time (as seen from inside it: performance.now() at exit).
 */
export function analyzeTrace(trace) {
  const events = trace.events.filter((e) => e.end !== undefined).map((e) => ({ ...e }));
  const objectPatches = events.filter((e) => e.method === 'PATCH' && !e.path.includes('/leases') && !/\/secrets\/kc\./.test(e.path));
  const lastPatchStart = objectPatches.length ? Math.max(...objectPatches.map((e) => e.start)) : -1;
  const groups = new Map();
  for (const e of events) {
    const c = categoryOf(e, lastPatchStart);
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c).push(e);
  }
  const rows = [];
  if (events.length === 0) {
    rows.push({ name: 'whole process (no API request)', ms: trace.exit });
    return { wallMs: trace.exit, requests: 0, rows };
  }
  const first = Math.min(...events.map((e) => e.start));
  const last = Math.max(...events.map((e) => e.end));
  const pre = trace.marks?.preImport;
  if (pre) {
    rows.push({ name: 'node start', ms: pre.start });
    rows.push({ name: `import ${pre.module} (kc: kubeconfig parsing)`, ms: pre.end - pre.start });
    rows.push({ name: 'kc CLI + chart bundle/render + … until the first request', ms: first - pre.end });
  } else {
    rows.push({ name: 'before the first request: node + CLI + chart bundle/render', ms: first });
  }
  // Attribute each instant with requests in flight to the category of the requests in flight; when several
  // categories overlap (rare: kc's stages are sequential), split the instant evenly.
  const cuts = [...new Set(events.flatMap((e) => [e.start, e.end]))].sort((a, b) => a - b);
  const share = new Map([...groups.keys()].map((k) => [k, 0]));
  let idle = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const mid = (a + b) / 2;
    const active = [...groups.entries()].filter(([, list]) => list.some((e) => e.start <= mid && e.end >= mid)).map(([k]) => k);
    if (active.length === 0) idle += b - a;
    for (const k of active) share.set(k, share.get(k) + (b - a) / active.length);
  }
  const order = [...groups.entries()].sort((x, y) => Math.min(...x[1].map((e) => e.start)) - Math.min(...y[1].map((e) => e.start)));
  for (const [name, list] of order) {
    const latency = list.reduce((a, e) => a + e.end - e.start, 0);
    const busy = unionLength(list.map((e) => [e.start, e.end]));
    rows.push({ name, requests: list.length, ms: share.get(name), meanLatencyMs: latency / list.length, meanInFlight: busy > 0 ? latency / busy : 0 });
  }
  rows.push({ name: 'no request in flight between requests (kc CPU: YAML, records, …)', ms: idle });
  rows.push({ name: 'after the last response: exit', ms: trace.exit - last });
  return { wallMs: trace.exit, requests: events.length, rows };
}
