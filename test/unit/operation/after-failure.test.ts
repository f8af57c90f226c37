import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { afterFailure } from '../../../src/operation/after-failure.js';

describe('afterFailure', () => {
  test('the first error is kept when recording it fails, with what was left undone', async () => {
    const first = new KcError('CONNECTION_LOST', 'the answer to PATCH x was lost', { hint: 'run it again' });
    const out = await afterFailure(first, 'mark revision 3 failed', async () => {
      throw new KcError('CLUSTER_UNREACHABLE', 'connection refused');
    });
    expect(out).toMatchObject({
      code: 'CONNECTION_LOST',
      message: 'the answer to PATCH x was lost',
      details: ['could not mark revision 3 failed: connection refused'],
      hint: expect.stringContaining('run it again; the record may still say'),
    });
  });

  test('when recording succeeds the error is the same object', async () => {
    const first = new KcError('TIMEOUT', 'not ready');
    let ran = false;
    expect(await afterFailure(first, 'x', async () => void (ran = true))).toBe(first);
    expect(ran).toBe(true);
  });

  test('a holder that lost its lock records nothing', async () => {
    const lost = new KcError('LOCK_LOST', 'lost');
    let ran = false;
    expect(await afterFailure(lost, 'x', async () => void (ran = true))).toBe(lost);
    expect(ran).toBe(false);
  });
});
