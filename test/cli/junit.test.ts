import { describe, expect, test } from '@jest/globals';
import { junitXml, xmlText } from '../../cli/junit.js';

const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

describe('JUnit XML of kc test', () => {
  test('control characters XML 1.0 forbids are replaced; colour codes are dropped; tab and newlines stay', () => {
    expect(xmlText('a\u0000b\u0008c\u000bd\u000ce\u000ef\u001fg')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg');
    expect(xmlText('\u001b[31mred\u001b[0m & <b>"q"</b>')).toBe('red &amp; &lt;b&gt;&quot;q&quot;&lt;/b&gt;');
    expect(xmlText('t\tn\nr\r')).toBe('t\tn\nr\r');
    expect(xmlText('x\ud800y\uffffz 😀')).toBe('x\ufffdy\ufffdz 😀');
  });

  test('a failed check with control characters in its reason and logs yields XML without them', () => {
    const xml = junitXml({
      release: 'my\u0001app',
      namespace: 'ns',
      revision: 1,
      passed: false,
      results: [
        {
          name: 'db\u0007',
          type: 'check',
          ok: false,
          reason: 'bell\u0007',
          details: ['log \u001b[1mbold\u001b[0m\u0000end'],
          durationMs: 5,
        },
      ],
    });
    expect(xml).not.toMatch(FORBIDDEN);
    expect(xml).toContain('<failure message="bell\ufffd">log bold\ufffdend</failure>');
    expect(xml).toContain('<testsuite name="my\ufffdapp"');
  });
});
