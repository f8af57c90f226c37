// runWatch against a scripted source: when a watch resumes, lists again or gives up (bounded), and that an abort ends
// it at once, even in the middle of a list.
import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import type { KubeObject, WatchEvent } from '../../../src/kube/types.js';
import { runWatch, type WatchLoopLimits, type WatchSource } from '../../../src/kube/watch-loop.js';
import type { RawWatchEvent, WatchEnd } from '../../../src/kube/watch-request.js';

const limits: WatchLoopLimits = { maxFailures: 3, backoffMs: 1, maxBackoffMs: 2, healthyMs: 60_000 };
const cm = (rv: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: rv } });

type Step = WatchEnd | Error | { events: RawWatchEvent[]; then: WatchEnd | Error };

type Lister = () => Promise<{ objects: KubeObject[]; resourceVersion: string }>;

/** A source whose watch requests follow `steps` in turn (the last repeats); it records what it was asked. */
function source(steps: Step[], list: Lister = async () => ({ objects: [], resourceVersion: '1' })) {
  const asked: string[] = [];
  let n = 0;
  const s: WatchSource = {
    what: 'watch ConfigMap',
    list: async () => {
      asked.push('list');
      return list();
    },
    watch: async (version, onEvent) => {
      asked.push(`watch ${version}`);
      const step = steps[Math.min(n++, steps.length - 1)];
      if (typeof step === 'object' && !(step instanceof Error)) step.events.forEach(onEvent);
      const result = typeof step === 'object' && !(step instanceof Error) ? step.then : step;
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { s, asked };
}

const lost = () => new KcError('CONNECTION_LOST', 'GET /api/v1/configmaps: the server broke the stream off');

describe('runWatch', () => {
  test('news resets the count of failures in a row; without news the watch gives up after maxFailures', async () => {
    const withNews = { events: [{ type: 'MODIFIED' as const, object: cm('5') }], then: lost() };
    const { s, asked } = source([lost(), lost(), withNews, lost(), lost(), lost()]);
    const events: WatchEvent[] = [];
    const running = runWatch(s, (e) => events.push(e), new AbortController().signal, limits);
    await expect(running).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    expect(asked).toEqual(['list', 'watch 1', 'watch 1', 'watch 1', 'watch 5', 'watch 5', 'watch 5']);
    expect(events.map((e) => e.type)).toEqual(['SYNCED', 'MODIFIED']);
  });

  test('events that replay the version a request started from are no news: such a server is given up on', async () => {
    const replay = { events: [{ type: 'MODIFIED' as const, object: cm('1') }], then: lost() };
    const { s, asked } = source([replay]);
    await expect(runWatch(s, () => undefined, new AbortController().signal, limits)).rejects.toMatchObject({
      code: 'CONNECTION_LOST',
    });
    expect(asked).toEqual(['list', 'watch 1', 'watch 1', 'watch 1']);
  });

  test('a request the server ends early, without news, counts as a failure', async () => {
    const { s } = source(['ended']);
    await expect(runWatch(s, () => undefined, new AbortController().signal, limits)).rejects.toMatchObject({
      code: 'API_ERROR',
      message: 'watch ConfigMap: gave up after 3 attempts: it kept ending without news',
    });
  });

  test('410 Gone lists again, and a server that forgets every version is given up on too', async () => {
    let version = 0;
    const { s, asked } = source(['gone'], async () => ({ objects: [], resourceVersion: String(++version) }));
    await expect(runWatch(s, () => undefined, new AbortController().signal, limits)).rejects.toMatchObject({
      message: 'watch ConfigMap: gave up after 3 attempts: the server forgot its version each time (410 Gone)',
    });
    expect(asked).toEqual(['list', 'watch 1', 'list', 'watch 2', 'list', 'watch 3']);
  });

  test('a refusal (FORBIDDEN) ends the watch at once', async () => {
    const forbidden = new KcError('FORBIDDEN', 'watch ConfigMap: forbidden');
    const { s, asked } = source([forbidden]);
    await expect(runWatch(s, () => undefined, new AbortController().signal, limits)).rejects.toBe(forbidden);
    expect(asked).toEqual(['list', 'watch 1']);
  });

  test('an abort ends the watch at once, even while the list is under way', async () => {
    const { s } = source(['ended'], () => new Promise(() => undefined));
    const controller = new AbortController();
    const running = runWatch(s, () => undefined, controller.signal, limits);
    controller.abort();
    await expect(running).resolves.toBeUndefined();
  });
});
