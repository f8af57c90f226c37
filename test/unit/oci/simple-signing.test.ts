import { describe, expect, it } from '@jest/globals';
import { dockerReference, parseSimpleSigningPayload, simpleSigningPayload } from '../../../src/oci/simple-signing.js';

const DIGEST = `sha256:${'2439'.padEnd(64, '0')}`;

describe('simple signing payload', () => {
  it('is byte for byte what cosign signs (sigstore payload.go field order, "optional":null)', () => {
    const bytes = simpleSigningPayload({ registry: '127.0.0.1:35125', repository: 't/app' }, DIGEST);
    expect(bytes.toString()).toBe(
      '{"critical":{"identity":{"docker-reference":"127.0.0.1:35125/t/app"},' +
        `"image":{"docker-manifest-digest":"${DIGEST}"},` +
        '"type":"cosign container image signature"},"optional":null}',
    );
    expect(parseSimpleSigningPayload(bytes)).toEqual({ digest: DIGEST, reference: '127.0.0.1:35125/t/app' });
  });

  it('names Docker Hub as go-containerregistry does', () => {
    expect(dockerReference({ registry: 'docker.io', repository: 'library/x' })).toBe('index.docker.io/library/x');
  });

  it('reads nothing from a payload of another type or not JSON', () => {
    expect(
      parseSimpleSigningPayload(Buffer.from('{"critical":{"type":"x","image":{"docker-manifest-digest":"d"}}}')),
    ).toBeUndefined();
    expect(parseSimpleSigningPayload(Buffer.from('nope'))).toBeUndefined();
  });
});
