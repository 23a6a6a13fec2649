import { isIPv6 } from 'node:net';
import { normalizeAddress } from '../net/proxy-trust.js';

/**
 * The key a per-IP limit counts under. An IPv4 address (also IPv4-mapped IPv6, or with a port)
 * is itself; an IPv6 address counts by its /64 network, because one subscriber usually gets a
 * whole /64 and could otherwise pick a fresh address for every request.
 */
export function ipKey(address: string): string {
  const plain = normalizeAddress(address);
  if (!isIPv6(plain)) return plain;
  const [head = '', tail = ''] = plain.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = plain.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
