import { describe, expect, it } from '@jest/globals';
import { ipKey } from './ip-key.js';

describe(ipKey.name, () => {
  it('should keep an IPv4 address, mapped or not', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('should count every address of one IPv6 /64 together', () => {
    expect(ipKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('should give one key however the address is spelled', () => {
    for (const spelling of [
      '5.5.5.2',
      '5.5.5.2:8080',
      '::ffff:5.5.5.2',
      '[::ffff:5.5.5.2]:80',
      '::FFFF:0505:0502',
    ])
      expect(ipKey(spelling)).toBe('5.5.5.2');
    for (const spelling of [
      '[2001:db8:7::1]:443',
      '2001:0DB8:0007:0000:0000:0000:0000:0001',
      '2001:db8:7::1',
    ])
      expect(ipKey(spelling)).toBe('2001:db8:7:0::/64');
  });

  it('should pass anything else through', () => {
    expect(ipKey('unknown')).toBe('unknown');
  });
});
