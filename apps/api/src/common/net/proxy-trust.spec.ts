import { describe, expect, it } from '@jest/globals';
import { compileProxyTrust, parseTrustProxy, resolveClientAddress, type TrustProxy } from './proxy-trust.js';

const resolve = (setting: string, peer: string, forwardedFor?: string) =>
  resolveClientAddress(peer, forwardedFor, compileProxyTrust(parseTrustProxy(setting) as TrustProxy));

describe('proxy trust', () => {
  it('should parse booleans, hop counts and lists', () => {
    expect(parseTrustProxy('false')).toEqual({ kind: 'none' });
    expect(parseTrustProxy('0')).toEqual({ kind: 'none' });
    expect(parseTrustProxy('true')).toEqual({ kind: 'hops', hops: 1 });
    expect(parseTrustProxy('2')).toEqual({ kind: 'hops', hops: 2 });
    expect(parseTrustProxy('10.0.0.1, fd00::/8,loopback')).toEqual({
      kind: 'proxies',
      proxies: ['10.0.0.1', 'fd00::/8', 'loopback'],
    });
    expect(typeof parseTrustProxy('10.0.0.0/33')).toBe('string');
    expect(typeof parseTrustProxy('proxy.example')).toBe('string');
  });

  it('should never believe X-Forwarded-For without a trusted proxy', () => {
    expect(resolve('false', '198.51.100.1', '1.2.3.4')).toBe('198.51.100.1');
  });

  it('should take the right-most address past the trusted hops', () => {
    expect(resolve('1', '10.0.0.1', 'forged, 203.0.113.7')).toBe('203.0.113.7');
    expect(resolve('2', '10.0.0.1', 'forged, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    // Fewer addresses than hops: the left-most one there is.
    expect(resolve('3', '10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(resolve('1', '10.0.0.1')).toBe('10.0.0.1');
  });

  it('should walk past listed proxies only, IPv4-mapped peers included', () => {
    expect(resolve('loopback,10.0.0.0/8', '::ffff:127.0.0.1', 'forged, 203.0.113.7, 10.1.2.3')).toBe(
      '203.0.113.7',
    );
    expect(resolve('10.0.0.0/8', '127.0.0.1', '203.0.113.7')).toBe('127.0.0.1');
    expect(resolve('fd00::/8', 'fd00::1', '2001:db8::5')).toBe('2001:db8::5');
  });
});
