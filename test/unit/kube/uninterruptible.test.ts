// The shield's scope: true inside uninterruptible() across awaits, false outside, and while any shielded work is
// still running; the storage is disabled once none is (an enabled one taxes every promise the process makes).
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, expect, jest, test } from '@jest/globals';
import { isUninterruptible, uninterruptible } from '../../../src/kube/uninterruptible.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

afterEach(() => {
  jest.restoreAllMocks();
});

test('requests inside are shielded across awaits; outside, and after it settled, they are not', async () => {
  const seen: boolean[] = [];
  await uninterruptible(async () => {
    seen.push(isUninterruptible());
    await tick();
    seen.push(isUninterruptible());
  });
  expect(seen).toEqual([true, true]);
  expect(isUninterruptible()).toBe(false);
});

test('work outside the shield running meanwhile is not shielded', async () => {
  let release!: () => void;
  const held = uninterruptible(() => new Promise<void>((resolve) => (release = resolve)));
  const outside = (async () => {
    await tick();
    return isUninterruptible();
  })();
  expect(await outside).toBe(false);
  release();
  await held;
});

test('overlapping scopes: the second stays shielded after the first ends; disabled after the last', async () => {
  const disable = jest.spyOn(AsyncLocalStorage.prototype, 'disable');
  let endFirst!: () => void;
  let endSecond!: () => void;
  const first = uninterruptible(() => new Promise<void>((resolve) => (endFirst = resolve)));
  const second = uninterruptible(async () => {
    await new Promise<void>((resolve) => (endSecond = resolve));
    return isUninterruptible();
  });
  await tick();
  endFirst();
  await first;
  expect(disable).not.toHaveBeenCalled();
  await tick();
  endSecond();
  expect(await second).toBe(true);
  expect(disable).toHaveBeenCalledTimes(1);
});

test('a failing work still closes its scope', async () => {
  const disable = jest.spyOn(AsyncLocalStorage.prototype, 'disable');
  await expect(uninterruptible(() => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
  expect(disable).toHaveBeenCalledTimes(1);
  expect(isUninterruptible()).toBe(false);
});
