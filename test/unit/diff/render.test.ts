import { describe, expect, test } from '@jest/globals';
import { diffPlan, renderDiff } from '../../../src/diff/index.js';
import { asLive, deployment } from './fixtures.js';

const ESC = '\u001b[';

const summary = diffPlan(
  [
    { desired: deployment('new') },
    { live: asLive(deployment('same')), desired: deployment('same') },
    { live: asLive(deployment('web', 1)), desired: deployment('web', 2) },
    { live: asLive(deployment('old')) },
  ],
  { context: 1 },
);

describe('renderDiff', () => {
  test('a header and patch per changed object, then the plan line', () => {
    const text = renderDiff(summary, { color: false });
    expect(text).not.toContain(ESC);
    const lines = text.split('\n');
    expect(lines.filter((l) => /^[+~-] (create|update|delete) /.test(l))).toEqual([
      '+ create Deployment/ns/new',
      '~ update Deployment/ns/web',
      '- delete Deployment/ns/old',
    ]);
    expect(text).not.toContain('Deployment/ns/same');
    expect(text).toContain('-  replicas: 1\n+  replicas: 2\n');
    expect(text.endsWith('\nPlan: 1 to create, 1 to update, 1 to delete (1 unchanged).\n')).toBe(true);
  });

  test('colors only when asked', () => {
    const text = renderDiff(summary, { color: true });
    expect(text).toContain(`${ESC}32m+  replicas: 2`);
    expect(text).toContain(`${ESC}31m-  replicas: 1`);
    expect(text).toMatch(new RegExp(`\\u001b\\[36m@@ `));
    // Stripping the escapes gives back the plain rendering.
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderDiff(summary, { color: false }));
  });

  test('no changes', () => {
    const same = diffPlan([{ live: asLive(deployment('web')), desired: deployment('web') }], {});
    expect(renderDiff(same, { color: true })).toBe('No changes.\n');
  });
});

describe('renderDiff with field conflicts', () => {
  test('the fields another manager owns are listed under the object header, with what applying needs', () => {
    const conflict = '.spec.replicas: conflict with "hand-edit" using apps/v1';
    const s = diffPlan([{ live: asLive(deployment('web', 4)), desired: deployment('web', 1), conflicts: [conflict] }]);
    expect(s.changes[0].conflicts).toEqual([conflict]);
    const lines = renderDiff(s, { color: false }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '~ update Deployment/ns/web',
      `! ${conflict}`,
      '! these fields belong to another field manager: applying needs --force-conflicts',
    ]);
  });
});
