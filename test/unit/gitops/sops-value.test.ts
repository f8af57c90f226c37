import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { encryptSopsValue, sopsScalar, SOPS_IV_BYTES } from '../../../src/gitops/sops-value.js';
import { openEnc, parseEnc } from '../../helpers/sops-decrypt.js';

const text = (v: unknown) => {
  const s = sopsScalar(v);
  return s && { type: s.type, text: s.bytes.toString('utf8') };
};

describe('sopsScalar', () => {
  it("gives each scalar sops's type and bytes (Go's strconv for numbers, True/False for booleans)", () => {
    expect(text('pa:ss')).toEqual({ type: 'str', text: 'pa:ss' });
    expect(text('')).toEqual({ type: 'str', text: '' });
    expect(text('ünï')).toEqual({ type: 'str', text: 'ünï' });
    expect(text(42)).toEqual({ type: 'int', text: '42' });
    expect(text(-7)).toEqual({ type: 'int', text: '-7' });
    expect(text(0.5)).toEqual({ type: 'float', text: '0.5' });
    expect(text(true)).toEqual({ type: 'bool', text: 'True' });
    expect(text(false)).toEqual({ type: 'bool', text: 'False' });
  });

  it("writes every digit where JS would use an exponent (strconv.FormatFloat(v, 'f', -1, 64))", () => {
    expect(text(1e-7)?.text).toBe('0.0000001');
    expect(text(-2.5e-8)?.text).toBe('-0.000000025');
    expect(text(1.5e21)?.text).toBe('1500000000000000000000');
    expect(text(1.2345e22)?.text).toBe('12345000000000000000000');
    expect(text(1e21)).toEqual({ type: 'float', text: '1000000000000000000000' });
    // What kc's YAML holds for 2^60, which go-yaml reads back as that int64.
    expect(text(2 ** 60)).toEqual({ type: 'int', text: '1152921504606847000' });
  });

  it('has nothing for null, undefined and what YAML cannot hold', () => {
    for (const v of [null, undefined, NaN, Infinity, 10n, {}, [], new Date(0), () => 1]) {
      expect(sopsScalar(v)).toBeUndefined();
    }
  });
});

describe('encryptSopsValue', () => {
  it("writes sops's ENC[AES256_GCM,…] with the IV given, a 16-byte tag and the type; only its AAD opens it", () => {
    const key = crypto.randomBytes(32);
    const iv = crypto.randomBytes(SOPS_IV_BYTES);
    const enc = encryptSopsValue({ type: 'int', bytes: Buffer.from('5432') }, key, 'stringData:port:', iv);
    expect(enc).toMatch(/^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]+,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:int\]$/);
    const parts = parseEnc(enc);
    expect(parts.iv.equals(iv)).toBe(true);
    expect(parts.tag).toHaveLength(16);
    expect(parts.data).toHaveLength(4);
    expect(openEnc(enc, key, 'stringData:port:')).toEqual({ plaintext: '5432', type: 'int' });
    expect(() => openEnc(enc, key, 'stringData:other:')).toThrow();
    expect(() => openEnc(enc, crypto.randomBytes(32), 'stringData:port:')).toThrow();
  });
});
