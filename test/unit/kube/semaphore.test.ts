// The in-flight limit: served in order, a slot handed straight to the next waiter, and an abort dropping exactly
// the waiters of that signal, through one listener per signal however many wait.
import { getEventListeners } from 'node:events';
import { expect, test } from '@jest/globals';
import { Semaphore } from '../../../src/kube/semaphore.js';

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('at most `limit` hold a slot; waiters get theirs in order as slots are released', async () => {
  const s = new Semaphore(2);
  const first = await s.acquire();
  const second = await s.acquire();
  const order: number[] = [];
  const waiting = [1, 2, 3].map((n) => s.acquire().then((release) => (order.push(n), release)));
  await settled();
  expect(order).toEqual([]);
  first();
  await settled();
  expect(order).toEqual([1]);
  second();
  first(); // a second release of the same slot frees nothing
  await settled();
  expect(order).toEqual([1, 2]);
  (await waiting[0])();
  await settled();
  expect(order).toEqual([1, 2, 3]);
});

test('a released slot goes to the next waiter, not to a request made meanwhile', async () => {
  const s = new Semaphore(1);
  const held = await s.acquire();
  const order: string[] = [];
  const waiter = s.acquire().then((release) => (order.push('waiter'), release));
  held();
  const late = s.acquire().then((release) => (order.push('late'), release));
  (await waiter)();
  (await late)();
  expect(order).toEqual(['waiter', 'late']);
});

test('an abort drops its own waiters, each with its reason, through one listener however many wait', async () => {
  const s = new Semaphore(1);
  const held = await s.acquire();
  const op = new AbortController();
  const other = new AbortController();
  const dropped = Array.from({ length: 50 }, () => s.acquire(op.signal));
  const kept = s.acquire(other.signal);
  expect(getEventListeners(op.signal, 'abort')).toHaveLength(1);
  op.abort(new Error('interrupted by SIGINT'));
  for (const d of dropped) await expect(d).rejects.toThrow('interrupted by SIGINT');
  held();
  const release = await kept;
  release();
  await expect(s.acquire(op.signal)).rejects.toThrow('interrupted by SIGINT');
  expect(await s.acquire(other.signal)).toEqual(expect.any(Function));
});
