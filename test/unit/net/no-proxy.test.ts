// NO_PROXY entries as Go's httpproxy reads them (what kubectl and helm do).
import { describe, expect, test } from '@jest/globals';
import { parseNoProxy } from '../../../src/net/no-proxy.js';

describe('NO_PROXY matching (Go semantics)', () => {
  test('a domain matches itself and its subdomains; a leading dot or *. matches only subdomains', () => {
    const m = parseNoProxy('example.com, .corp.test,*.dev.test');
    expect(m('example.com', '443')).toBe(true);
    expect(m('api.example.com', '443')).toBe(true);
    expect(m('notexample.com', '443')).toBe(false);
    expect(m('corp.test', '443')).toBe(false);
    expect(m('k8s.corp.test', '443')).toBe(true);
    expect(m('dev.test', '443')).toBe(false);
    expect(m('a.dev.test', '443')).toBe(true);
  });

  test('entries are trimmed and case-insensitive; empty and malformed entries are ignored', () => {
    const m = parseNoProxy(' , EXAMPLE.com ,:80,');
    expect(m('example.com', '443')).toBe(true);
    expect(m('other.com', '80')).toBe(false);
  });

  test('IPs, CIDRs (IPv4, IPv6, IPv4-mapped) and host:port entries', () => {
    const m = parseNoProxy('10.0.0.0/8,192.168.1.7,fd00::/8,[2001:db8::1]:6443,api.example.com:6443');
    expect(m('10.20.30.40', '443')).toBe(true);
    expect(m('::ffff:10.1.1.1', '443')).toBe(true);
    expect(m('11.0.0.1', '443')).toBe(false);
    expect(m('192.168.1.7', '80')).toBe(true);
    expect(m('192.168.1.8', '80')).toBe(false);
    expect(m('fd12::5', '443')).toBe(true);
    expect(m('2001:db8::1', '6443')).toBe(true);
    expect(m('2001:db8::1', '443')).toBe(false);
    expect(m('api.example.com', '6443')).toBe(true);
    expect(m('api.example.com', '443')).toBe(false);
  });

  test('a CIDR written with host bits set matches its network, as Go masks it', () => {
    expect(parseNoProxy('10.1.2.3/16')('10.1.200.1', '443')).toBe(true);
  });

  test('* turns the proxy off for every host', () => {
    expect(parseNoProxy('example.com,*')('anything.anywhere', '1')).toBe(true);
    expect(parseNoProxy('')('example.com', '443')).toBe(false);
  });
});
