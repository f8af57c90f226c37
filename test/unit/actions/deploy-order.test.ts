import { describe, expect, test } from '@jest/globals';
import { runInDependencyOrder } from '../../../src/actions/deploy-order.js';

const rel = (name: string, dependsOn: string[] = []) => ({ name, dependsOn });

/** A run function whose calls finish only when the test says so; records starts and ends in order. */
function controlledRuns() {
  const events: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();
  const run = (r: { name: string }) =>
    new Promise<string>((resolve, reject) => {
      events.push(`start ${r.name}`);
      pending.set(r.name, {
        resolve: () => {
          events.push(`end ${r.name}`);
          resolve(`done ${r.name}`);
        },
        reject,
      });
    });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { events, pending, run, settle };
}

describe('runInDependencyOrder', () => {
  test('independent releases start at once; a dependant starts when its dependencies are done; results keep the order', async () => {
    const { events, pending, run, settle } = controlledRuns();
    const all = runInDependencyOrder([rel('db'), rel('cache'), rel('web', ['db', 'cache'])], run);
    await settle();
    expect(events).toEqual(['start db', 'start cache']);
    pending.get('db')!.resolve();
    await settle();
    expect(events).toEqual(['start db', 'start cache', 'end db']);
    pending.get('cache')!.resolve();
    await settle();
    expect(events.at(-1)).toBe('start web');
    pending.get('web')!.resolve();
    expect(await all).toEqual(['done db', 'done cache', 'done web']);
  });

  test('a dependency that is not being deployed (--only) is taken as deployed', async () => {
    const { events, pending, run, settle } = controlledRuns();
    const all = runInDependencyOrder([rel('web', ['db'])], run);
    await settle();
    expect(events).toEqual(['start web']);
    pending.get('web')!.resolve();
    expect(await all).toEqual(['done web']);
  });

  test('after a failure no dependant starts, running releases finish, and the first failure is thrown', async () => {
    const { events, pending, run, settle } = controlledRuns();
    const all = runInDependencyOrder([rel('db'), rel('cache'), rel('web', ['db']), rel('worker', ['cache'])], run);
    await settle();
    expect(events).toEqual(['start db', 'start cache']);
    const boom = new Error('db failed');
    pending.get('db')!.reject(boom);
    await settle();
    pending.get('cache')!.resolve();
    await expect(all).rejects.toBe(boom);
    // web depends on the failed release; worker's dependency succeeded, but nothing starts after a failure.
    expect(events).toEqual(['start db', 'start cache', 'end cache']);
  });
});
