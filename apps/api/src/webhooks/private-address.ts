import { isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless WEBHOOK_ALLOW_PRIVATE. A receiver URL is a request
 * the server makes on someone's behalf (SSRF), so only globally reachable unicast passes.
 *
 * Matching is done here on the address's bits rather than with node:net's BlockList: Node 20's
 * BlockList does match an IPv4-mapped address (`::ffff:7f00:1`, either spelling) against IPv4
 * rules, but knows nothing of the other forms that carry an IPv4 address (IPv4-compatible,
 * SIIT, 6to4, Teredo, NAT64), and each of those must be judged by the address it reaches.
 */

type Range = readonly [network: bigint, prefix: number];

/** IPv4 ranges that are not global: RFC 6890 and IANA's special-purpose registry. */
const V4_BLOCKED: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local: cloud metadata at 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved
  ['255.255.255.255', 32], // limited broadcast (inside 240/4 too; named for the reader)
];

/**
 * Inside 2000::/3, the only IPv6 space IANA hands out as global unicast: the parts that are not
 * global. Everything outside 2000::/3 is refused (loopback, unspecified, IPv4-compatible ::/96,
 * NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard 100::/64, SRv6 5f00::/16, unique-local fc00::/7,
 * link- and site-local fe80::/9, multicast ff00::/8, and whatever is assigned there later),
 * except the IPv4-mapped and -translated forms, judged by the IPv4 address they carry.
 */
const V6_BLOCKED_GLOBAL: readonly (readonly [string, number])[] = [
  ['2001::', 23], // IETF protocol assignments: Teredo 2001::/32 (tunnels to any IPv4), benchmarking, ORCHID
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
];

const v4Ranges: Range[] = V4_BLOCKED.map(([net, prefix]) => [parseV4(net)!, prefix]);
const v6Ranges: Range[] = V6_BLOCKED_GLOBAL.map(([net, prefix]) => [parseV6(net)!, prefix]);

const GLOBAL_UNICAST: Range = [0x2n << 124n, 3];
const V4_MAPPED: Range = [0xffffn << 32n, 96]; // ::ffff:a.b.c.d
const V4_TRANSLATED: Range = [0xffffn << 48n, 96]; // ::ffff:0:a.b.c.d (SIIT, RFC 2765)
const SIX_TO_FOUR: Range = [0x2002n << 112n, 16]; // 2002:AABB:CCDD::/48 carries AA.BB.CC.DD

/**
 * Whether an IP address is one a webhook may not reach by default. Takes what a URL's hostname
 * or a resolver gives: IPv4, IPv6 in any spelling (hex or dotted tail, compressed or not), in
 * brackets or not. An address with a zone id (`fe80::1%eth0`) is bound to an interface, so
 * never global: refused. Anything that is not an address at all is refused rather than guessed.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (bare.includes('%')) return true;
  const family = isIP(bare);
  if (family === 4) return isPrivateV4(parseV4(bare)!);
  if (family === 6) return isPrivateV6(parseV6(bare)!);
  return true;
}

function isPrivateV4(value: bigint): boolean {
  return v4Ranges.some((range) => within(value, range, 32));
}

function isPrivateV6(value: bigint): boolean {
  const embedded = value & 0xffffffffn;
  if (within(value, V4_MAPPED, 128) || within(value, V4_TRANSLATED, 128)) return isPrivateV4(embedded);
  if (!within(value, GLOBAL_UNICAST, 128)) return true;
  if (within(value, SIX_TO_FOUR, 128)) return isPrivateV4((value >> 80n) & 0xffffffffn);
  return v6Ranges.some((range) => within(value, range, 128));
}

function within(value: bigint, [network, prefix]: Range, bits: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === network >> shift;
}

/** A dotted quad (as isIP accepts it: four decimal parts) as a 32-bit number. */
function parseV4(text: string): bigint | null {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return null;
  }
  return parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n);
}

/** An IPv6 address that isIP accepts (no zone id) as a 128-bit number. */
function parseV6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string | undefined): bigint[] | null => {
    if (!half) return [];
    const out: bigint[] = [];
    for (const part of half.split(':')) {
      if (part.includes('.')) {
        const v4 = parseV4(part);
        if (v4 === null) return null;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(part)) return null;
        out.push(BigInt(`0x${part}`));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<bigint>(halves.length === 1 ? 0 : missing).fill(0n), ...tail];
  return all.reduce((value, group) => (value << 16n) | group, 0n);
}
