import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { dsseSignedBy, pae, parseDsseEnvelope } from '../../../src/oci/dsse.js';

describe('DSSE', () => {
  it('encodes PAE as the DSSE spec example, lengths in bytes', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('accepts a signature of the PAE by the key only, never of the bare payload or under another type', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const body = Buffer.from('{"a":1}');
    const sig = crypto.sign('sha256', pae('application/vnd.in-toto+json', body), privateKey).toString('base64');
    const envelope = {
      payload: body.toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: 'bm90IGRlcg==' }, { sig }],
    };
    expect(dsseSignedBy(envelope, publicKey)).toBe(true);
    expect(dsseSignedBy(envelope, other)).toBe(false);
    expect(dsseSignedBy({ ...envelope, payloadType: 'text/plain' }, publicKey)).toBe(false);
    const bare = crypto.sign('sha256', body, privateKey).toString('base64');
    expect(dsseSignedBy({ ...envelope, signatures: [{ sig: bare }] }, publicKey)).toBe(false);
  });

  it('parses the envelope shape and drops signatures without sig', () => {
    expect(parseDsseEnvelope({ payload: 'e30=', payloadType: 't', signatures: [{ keyid: '' }, { sig: 'x' }] })).toEqual(
      { payload: 'e30=', payloadType: 't', signatures: [{ sig: 'x' }] },
    );
    expect(parseDsseEnvelope({ payload: 'e30=' })).toBeUndefined();
    expect(parseDsseEnvelope(undefined)).toBeUndefined();
  });
});
