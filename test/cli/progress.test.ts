import { describe, expect, test } from '@jest/globals';
import { progressReporter } from '../../cli/progress.js';
import type { CliIO } from '../../cli/io.js';
import { textWidth } from '../../cli/text-width.js';
import { refKey, refOf, type KubeObject } from '../../src/kube/types.js';
import { waitForReady, type ObjectState } from '../../src/kube/wait.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { FakeKube } from '../helpers/fake-kube.js';

const state = (name: string, ready: boolean): ObjectState => ({
  ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name },
  readiness: { ready, reason: ready ? 'Ready' : 'Pending' },
});

function io(isTTY: boolean, columns?: number, rows?: number) {
  const written: string[] = [];
  return { written, io: { isTTY, columns, rows, stderr: (t: string) => written.push(t) } as unknown as CliIO };
}

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

describe('progressReporter', () => {
  test('on a terminal, releases waited on at once each keep their block in the redrawn table', () => {
    const { written, io: tty } = io(true);
    const report = progressReporter(tty);
    report('db', [state('a', false)]);
    report('web', [state('b', false), state('c', true)]);
    report('db', [state('a', true)]);
    // The last redraw moves up over the 3 lines drawn, prints both releases again and clears what is below.
    expect(written.at(-1)).toMatch(/^\u001b\[3A/);
    expect(written.at(-1)).toMatch(/\n\u001b\[J$/);
    expect(strip(written.at(-1)!).split('\n').filter(Boolean)).toEqual([
      '✓ db: ConfigMap/ns/a  Ready',
      '… web: ConfigMap/ns/b  Pending',
      '✓ web: ConfigMap/ns/c  Ready',
    ]);
  });

  test('elsewhere, one line per change, each naming its release', () => {
    const { written, io: plain } = io(false);
    const report = progressReporter(plain);
    report('db', [state('a', false)]);
    report('web', [state('b', false)]);
    report('db', [state('a', false)]);
    report('db', [state('a', true)]);
    expect(written).toEqual(['… db: ConfigMap/ns/a  Pending\n', '… web: ConfigMap/ns/b  Pending\n', '✓ db: ConfigMap/ns/a  Ready\n']);
  });

  test('on a terminal, each line is cut to the window width less one column, colors reset where cut', () => {
    const { written, io: tty } = io(true, 30, 24);
    const report = progressReporter(tty);
    const why = 'pod web-abc is Unschedulable: 0/2 nodes';
    const long = { ...state('a-very-long-config-map-name-indeed', false), why };
    report('db', [long, state('b', true)]);
    const lines = written.at(-1)!.split('\n').filter((l) => l !== '\u001b[J');
    expect(lines.map((l) => textWidth(l))).toEqual([29, 29, 27]);
    expect(lines.map(strip)).toEqual([
      '… db: ConfigMap/ns/a-very-lo…',
      '    pod web-abc is Unschedul…',
      '✓ db: ConfigMap/ns/b  Ready',
    ]);
    expect(lines[0]).toMatch(/…\u001b\[0m$/);
  });

  test('on a terminal taller than the window: the lines that fit in rows-2, then "… and N more (M ready)"', () => {
    const { written, io: tty } = io(true, 80, 6);
    const report = progressReporter(tty);
    const states = Array.from({ length: 10 }, (_, i) => state(`m${i}`, i % 3 === 0));
    report('db', states);
    report('db', states);
    const shown = strip(written.at(-1)!).split('\n').filter(Boolean);
    expect(shown).toEqual([
      '✓ db: ConfigMap/ns/m0  Ready',
      '… db: ConfigMap/ns/m1  Pending',
      '… db: ConfigMap/ns/m2  Pending',
      '✓ db: ConfigMap/ns/m3  Ready',
      '… and 6 more (2 ready)',
    ]);
    // The redraw moves up over the 5 lines shown, not the 10 objects.
    expect(written.at(-1)).toMatch(/^\u001b\[5A/);
  });

  test('an object and why it waits stay together: the table ends before an object whose reason does not fit', () => {
    const { written, io: tty } = io(true, 80, 5);
    const report = progressReporter(tty);
    const why = (name: string): ObjectState => ({ ...state(name, false), why: `pod ${name}-1 is Unschedulable` });
    report('db', [why('a'), why('b'), why('c')]);
    expect(strip(written.at(-1)!).split('\n').filter(Boolean)).toEqual([
      '… db: ConfigMap/ns/a  Pending',
      '    pod a-1 is Unschedulable',
      '… and 2 more (0 ready)',
    ]);
  });

  test('elsewhere, a line with the reason each time it changes', () => {
    const { written, io: plain } = io(false);
    const report = progressReporter(plain);
    report('db', [state('a', false)]);
    report('db', [{ ...state('a', false), why: 'ProvisioningFailed: storageclass "fast" not found' }]);
    report('db', [{ ...state('a', false), why: 'ProvisioningFailed: storageclass "fast" not found' }]);
    report('db', [{ ...state('a', false), why: 'FailedBinding: no persistent volumes available' }]);
    expect(written).toEqual([
      '… db: ConfigMap/ns/a  Pending\n',
      '… db: ConfigMap/ns/a  Pending — ProvisioningFailed: storageclass "fast" not found\n',
      '… db: ConfigMap/ns/a  Pending — FailedBinding: no persistent volumes available\n',
    ]);
  });

  test('a wait shows why an object is unready once it has waited 5 s (fake clock), and not before', async () => {
    const claim: KubeObject = {
      ...{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns' } },
      status: { phase: 'Pending' },
    };
    const event: KubeObject = {
      ...{ apiVersion: 'v1', kind: 'Event', metadata: { name: 'data.1', namespace: 'ns' }, type: 'Warning' },
      ...{ reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "fast" not found' },
    };
    const client = new FakeKube();
    for (const o of [claim, event]) client.objects.set(refKey(refOf(o)), o);
    const clock = fakeClock();
    const { written, io: plain } = io(false);
    const report = progressReporter(plain);
    const at: number[] = [];
    const onProgress = (states: ObjectState[]) => {
      if (states.some((s) => s.why)) at.push(clock.time);
      report('db', states);
    };
    const waiting = waitForReady(client, [refOf(claim)], { timeoutMs: 7000, clock, onProgress });
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(at[0]).toBe(5000);
    expect(written).toEqual([
      '… db: PersistentVolumeClaim/ns/data  Pending\n',
      `… db: PersistentVolumeClaim/ns/data  Pending — ProvisioningFailed: ${event.message as string}\n`,
    ]);
  });
});
