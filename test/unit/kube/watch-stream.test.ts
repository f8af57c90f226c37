// Watches over the real transport against a fake API server on 127.0.0.1 (HTTP/2 and HTTP/1.1): events are handed
// on as they arrive, a broken or ended stream resumes from the last version seen (bookmarks included), 410 Gone lists
// again, refusals fail at once, and a server that keeps failing is given up on after a bounded number of attempts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApiClient } from '../../../src/kube/api-client.js';
import type { ClusterConnection } from '../../../src/kube/kubeconfig.js';
import { createTransport } from '../../../src/kube/transport.js';
import type { WatchEvent } from '../../../src/kube/types.js';
import { startFaultServer, type FaultServer, type WatchWriter } from '../../helpers/fault-server.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';

let certs: TestCerts;
let server: FaultServer;
beforeAll(async () => {
  certs = makeTestCerts();
  server = await startFaultServer(certs);
}, 30_000);
afterAll(() => server.close());

const conn = (): ClusterConnection => ({
  server: server.url, context: 'test', namespace: 'ns', requestOptions: { ca: certs.ca },
});
const cm = (name: string, rv: string) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv },
});
const list = (rv: string, ...names: string[]) => ({
  kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items: names.map((n) => cm(n, rv)),
});
const bookmark = (rv: string) => ({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv } });
const gone = { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' };

/** Polls `cond` every 5 ms for at most 3 s. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const query = (path: string) => Object.fromEntries(new URL(path, 'https://x').searchParams);
const watchRequests = () => server.seen.filter((r) => query(r.path).watch === '1');
const listRequests = () =>
  server.seen.filter((r) => r.method === 'GET' && r.path.includes('/configmaps') && !query(r.path).watch);

describe.each([
  ['HTTP/2', true],
  ['HTTP/1.1', false],
])('ApiClient.watch over %s', (_name, h2) => {
  /** Starts a watch of ConfigMaps in ns with the server scripted by `onWatch` (called with each watch request). */
  const start = (onWatch: (w: WatchWriter, n: number) => void, lists: unknown[] = [list('100', 'a')]) => {
    server.reset(() => 'ok');
    let watches = 0;
    let listed = 0;
    const next = () => lists[Math.min(listed++, lists.length - 1)];
    server.okBody = (r) => (r.path.includes('/configmaps') ? next() : undefined);
    server.onWatch = (w) => onWatch(w, watches++);
    const t = createTransport(conn(), { http2: h2 });
    const loop = { maxFailures: 3, backoffMs: 5, maxBackoffMs: 20, healthyMs: 60_000 };
    const api = new ApiClient(t, 'ns', { loop, seconds: 30 });
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    const { signal } = controller;
    const onEvent = (e: WatchEvent) => events.push(e);
    const done = api.watch('v1', 'ConfigMap', { namespace: 'ns', fieldSelector: 'metadata.name=a', signal, onEvent });
    const stop = async () => {
      controller.abort();
      await done.catch(() => undefined);
      t.close();
    };
    return { events, done, stop, controller };
  };
  const summary = (events: WatchEvent[]) =>
    events.map((e) =>
      e.type === 'SYNCED'
        ? `SYNCED ${e.objects.map((o) => o.metadata?.name).join(',')}`
        : `${e.type} ${e.object.metadata?.resourceVersion}`,
    );

  test('lists, watches from its version with bookmarks and a timeout; events arrive as they are sent', async () => {
    let writer: WatchWriter | undefined;
    const w = start((wr) => (writer = wr));
    try {
      await until(() => writer !== undefined, 'the watch request');
      expect(query(writer!.request.path)).toEqual({
        watch: '1',
        resourceVersion: '100',
        allowWatchBookmarks: 'true',
        timeoutSeconds: '30',
        fieldSelector: 'metadata.name=a',
      });
      expect(writer!.request.path.startsWith('/api/v1/namespaces/ns/configmaps?')).toBe(true);
      writer!.event('ADDED', cm('a', '101'));
      await until(() => w.events.length === 2, 'the first event');
      writer!.event('MODIFIED', cm('a', '102'));
      await until(() => w.events.length === 3, 'the second event');
      expect(writer!.open).toBe(true);
      expect(summary(w.events)).toEqual(['SYNCED a', 'ADDED 101', 'MODIFIED 102']);
    } finally {
      await w.stop();
    }
    await until(() => !writer!.open, 'the server to see the stream closed');
    await expect(w.done).resolves.toBeUndefined();
  });

  test('a broken stream resumes from the last version seen, a bookmark\'s included; so does a clean end', async () => {
    const w = start((wr, n) => {
      if (n === 0) {
        wr.event('ADDED', cm('a', '101'));
        wr.event('BOOKMARK', bookmark('150'));
        setTimeout(() => wr.drop(), 10);
      } else if (n === 1) {
        wr.event('MODIFIED', cm('a', '151'));
        setTimeout(() => wr.end(), 10);
      } else if (n === 2) {
        wr.event('DELETED', cm('a', '152'));
      }
    });
    try {
      await until(() => w.events.length === 4, 'three events');
      expect(summary(w.events)).toEqual(['SYNCED a', 'ADDED 101', 'MODIFIED 151', 'DELETED 152']);
      expect(watchRequests().map((r) => query(r.path).resourceVersion)).toEqual(['100', '150', '151']);
      expect(listRequests()).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  test('410 Gone, as an ERROR event or as the answer, lists again and watches from the new version', async () => {
    const w = start(
      (wr, n) => {
        if (n === 0) {
          wr.event('ERROR', gone);
          wr.end();
        } else if (n === 1) wr.reply(410, gone);
        else wr.event('MODIFIED', cm('a', '301'));
      },
      [list('100', 'a'), list('200'), list('300', 'a')],
    );
    try {
      await until(() => w.events.length === 4, 'three lists and an event');
      expect(summary(w.events)).toEqual(['SYNCED a', 'SYNCED ', 'SYNCED a', 'MODIFIED 301']);
      expect(watchRequests().map((r) => query(r.path).resourceVersion)).toEqual(['100', '200', '300']);
    } finally {
      await w.stop();
    }
  });

  test('open watches take none of the requests\' slots: a GET still goes through at once', async () => {
    const open: WatchWriter[] = [];
    server.reset(() => 'ok');
    server.okBody = (r) => (r.path.split('?')[0].endsWith('/configmaps') ? list('100') : undefined);
    server.onWatch = (wr) => open.push(wr);
    const t = createTransport(conn(), { http2: h2, maxInFlight: 1 });
    const api = new ApiClient(t, 'ns');
    const controller = new AbortController();
    const { signal } = controller;
    const onEvent = () => undefined;
    const watch = (name: string) =>
      api.watch('v1', 'ConfigMap', { namespace: 'ns', fieldSelector: `metadata.name=${name}`, signal, onEvent });
    const watches = [watch('a'), watch('b'), watch('c')];
    try {
      await until(() => open.length === 3, 'three open watches');
      const x = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'x' };
      await expect(api.get(x)).resolves.toMatchObject({ kind: 'ConfigMap', metadata: { name: 'x' } });
    } finally {
      controller.abort();
      await Promise.all(watches);
      t.close();
    }
  });

  test('a refused watch (403) rejects FORBIDDEN at once, without another attempt', async () => {
    const forbidden = { kind: 'Status', code: 403, reason: 'Forbidden', message: 'watch is forbidden' };
    const w = start((wr) => wr.reply(403, forbidden));
    try {
      await expect(w.done).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'watch ConfigMap: watch is forbidden' });
      expect(watchRequests()).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  test('a server that breaks every stream off is given up on after 3 attempts in a row (CONNECTION_LOST)', async () => {
    const w = start((wr) => wr.drop());
    try {
      await expect(w.done).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
      expect(watchRequests()).toHaveLength(3);
    } finally {
      await w.stop();
    }
  });

  test('a line that is not a watch event is RESPONSE_INVALID, after the same bounded attempts', async () => {
    const w = start((wr) => wr.line('<html>proxy login</html>'));
    try {
      const invalid = { code: 'RESPONSE_INVALID', message: expect.stringContaining('a line is not JSON') };
      await expect(w.done).rejects.toMatchObject(invalid);
      expect(watchRequests()).toHaveLength(3);
    } finally {
      await w.stop();
    }
  });
});
