// Colour decided per stream: NO_COLOR and --no-color turn it off, FORCE_COLOR turns it on when piped.
import { afterAll, describe, expect, test } from '@jest/globals';
import { colorChoice, colorFor, type CliIO } from '../../cli/io.js';
import { kcSpawner } from '../helpers/spawn-kc.js';

const spawner = kcSpawner({});
afterAll(() => spawner.killAll());
const RED_ERROR = '\x1b[31m\x1b[1mError';

describe('colorChoice', () => {
  test('--no-color and NO_COLOR win; FORCE_COLOR forces unless 0/false; else the terminal decides', () => {
    expect(colorChoice({}, false, true)).toBe(true);
    expect(colorChoice({}, false, false)).toBe(false);
    expect(colorChoice({ FORCE_COLOR: '1' }, false, false)).toBe(true);
    expect(colorChoice({ FORCE_COLOR: '0' }, false, true)).toBe(false);
    expect(colorChoice({ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true)).toBe(false);
    expect(colorChoice({ FORCE_COLOR: '1' }, true, true)).toBe(false);
    expect(colorChoice({ NO_COLOR: '' }, false, true)).toBe(true);
  });

  test('each stream has its own answer (stdout piped, stderr a terminal)', () => {
    const io = { isTTY: true, colorStdout: false, colorStderr: true } as CliIO;
    expect([colorFor(io, 'stdout'), colorFor(io, 'stderr')]).toEqual([false, true]);
  });
});

describe('the built CLI', () => {
  test('FORCE_COLOR colours a piped error; --no-color anywhere on the line turns it off', async () => {
    const forced = await spawner.kc(['synth', '--bogus'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).done;
    expect(forced.stderr.startsWith(RED_ERROR)).toBe(true);
    const off = await spawner.kc(['synth', '--bogus', '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).done;
    expect(off.stderr.startsWith('Error [USAGE]')).toBe(true);
    const piped = await spawner.kc(['synth', '--bogus'], { env: { NO_COLOR: '' } }).done;
    expect(piped.stderr.startsWith('Error [USAGE]')).toBe(true);
  });
});
