import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { gitopsPublicKeys, publicKeyFiles } from '../../../src/gitops/public-keys.js';
import { repoRoot } from '../../helpers/run-cli.js';

const pem = fs.readFileSync(path.join(repoRoot, 'test/fixtures/cosign/cosign.pub'), 'utf8');
const files = (present: Record<string, string>) => (file: string) => present[file];

describe('gitopsPublicKeys', () => {
  test('none when the environment neither signs nor verifies', () => {
    expect(gitopsPublicKeys({}, '/p', files({}))).toEqual([]);
    expect(publicKeyFiles({ gitops: { repository: 'oci://r/x' } }, '/p')).toEqual([]);
  });

  test('verify.keys, relative to the project, each named after its file (unique names)', () => {
    const env = { verify: { keys: ['keys/a.pub', 'other/a.pub', 'team b.pem'] } };
    const present = { '/p/keys/a.pub': pem, '/p/other/a.pub': pem, '/p/team b.pem': pem };
    const keys = gitopsPublicKeys(env, '/p', files(present));
    expect(keys.map((k) => k.name)).toEqual(['a', 'a-2', 'team-b.pem']);
    expect(keys[0].pem).toBe(pem);
  });

  test('gitops.sign alone: the .pub next to the private key (cosign.key → cosign.pub)', () => {
    const env = { gitops: { repository: 'oci://r/x', sign: { key: 'secrets/cosign.key' } } };
    expect(publicKeyFiles(env, '/p')).toEqual(['/p/secrets/cosign.pub']);
    expect(gitopsPublicKeys(env, '/p', files({ '/p/secrets/cosign.pub': pem }))).toEqual([{ name: 'cosign', pem }]);
    expect(() => gitopsPublicKeys(env, '/p', files({}))).toThrow(/cosign\.pub does not exist/);
    // verify.keys win over the signing key's neighbour.
    expect(publicKeyFiles({ ...env, verify: { keys: ['k.pub'] } }, '/p')).toEqual(['/p/k.pub']);
  });

  test('a file that is no public key is refused (KEY_INVALID), never put in a Secret', () => {
    const env = { verify: { keys: ['k.pub'] } };
    expect(() => gitopsPublicKeys(env, '/p', files({ '/p/k.pub': 'not a key' }))).toThrow(/no PEM public key/);
  });
});
