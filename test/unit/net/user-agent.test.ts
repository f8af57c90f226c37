import { describe, expect, test } from '@jest/globals';
import pkg from '../../../package.json' with { type: 'json' };
import { USER_AGENT, userAgent } from '../../../src/net/user-agent.js';

describe('User-Agent', () => {
  test('kc/<version> (<os>/<arch>) node/<version>, with Go names as in kubectl', () => {
    expect(userAgent('linux', 'x64')).toBe(`kc/${pkg.version} (linux/amd64) node/${process.versions.node}`);
    expect(userAgent('win32', 'ia32')).toBe(`kc/${pkg.version} (windows/386) node/${process.versions.node}`);
    expect(userAgent('darwin', 'arm64')).toBe(`kc/${pkg.version} (darwin/arm64) node/${process.versions.node}`);
    expect(USER_AGENT).toMatch(/^kc\/\d+\.\d+\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\) node\/\d+\.\d+\.\d+$/);
  });
});
