import { describe, expect, test } from '@jest/globals';
import { progressReporter } from '../../cli/progress.js';
import type { CliIO } from '../../cli/io.js';
import type { ObjectState } from '../../src/kube/wait.js';

const state = (name: string, ready: boolean): ObjectState => ({
  ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name },
  readiness: { ready, reason: ready ? 'Ready' : 'Pending' },
});

function io(isTTY: boolean) {
  const written: string[] = [];
  return { written, io: { isTTY, stderr: (t: string) => written.push(t) } as unknown as CliIO };
}

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

describe('progressReporter', () => {
  test('on a terminal, releases waited on at once each keep their block in the redrawn table', () => {
    const { written, io: tty } = io(true);
    const report = progressReporter(tty);
    report('db', [state('a', false)]);
    report('web', [state('b', false), state('c', true)]);
    report('db', [state('a', true)]);
    // The last redraw moves up over the 3 lines drawn and prints both releases again.
    expect(written.at(-1)).toMatch(/^\u001b\[3A/);
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
});
