import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address (TRUST_PROXY): none, the nearest `hops` proxies,
 * or the proxies at the listed addresses/networks. `true` means one hop: trusting every hop, as
 * Express's `true` does, takes the left-most X-Forwarded-For entry, which the client wrote.
 */
export type TrustProxy =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'proxies'; proxies: string[] };

/**
 * `(address, hop)`: whether the peer at that hop (0 is the socket's peer, 1 the address it
 * forwarded, ...) is a proxy we trust. Express takes a function of exactly this shape as its
 * `trust proxy` setting, so HTTP and WebSocket resolve the client the same way.
 */
export type ProxyTrustFn = (address: string, hop: number) => boolean;

/** Express's names for well-known networks, accepted in the list. */
const NAMED_NETWORKS: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Parses TRUST_PROXY; a string is the reason the value is refused. */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const value = raw.trim().toLowerCase();
  if (['false', 'no', '0'].includes(value)) return { kind: 'none' };
  if (['true', 'yes'].includes(value)) return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  const proxies = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = proxies.find((item) => !(item in NAMED_NETWORKS) && parseNetwork(item) === null);
  if (bad !== undefined || proxies.length === 0)
    return `"${(bad ?? raw).slice(0, 60)}" is not an address or CIDR`;
  return { kind: 'proxies', proxies };
}

export function compileProxyTrust(setting: TrustProxy): ProxyTrustFn {
  if (setting.kind === 'none') return () => false;
  if (setting.kind === 'hops') {
    const { hops } = setting;
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const item of setting.proxies.flatMap((entry) => NAMED_NETWORKS[entry] ?? [entry])) {
    const network = parseNetwork(item)!;
    list.addSubnet(network.address, network.prefix, network.family);
  }
  return (address) => {
    const plain = unmapIPv4(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client's address: walking from the socket's peer towards the client through
 * X-Forwarded-For (right to left), the first address that is not a trusted proxy. Entries to the
 * left of it were written by the client itself and are never believed.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: ProxyTrustFn,
): string | undefined {
  if (peer === undefined) return undefined;
  // No proxy said anything (every direct client): the peer is the client.
  if (forwardedFor === undefined) return normalizeAddress(peer);
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = [
    peer,
    ...header
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .reverse(),
  ];
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!trust(chain[hop]!, hop)) return normalizeAddress(chain[hop]!);
  }
  return normalizeAddress(chain.at(-1)!);
}

/**
 * One spelling per address, so that no per-IP limit sees one client as several: without a port
 * (`5.5.5.2:80`, `[2001:db8::1]:80`) or brackets or zone, IPv4-mapped IPv6 as IPv4, IPv6 in its
 * canonical compressed lower-case form. Anything that is not an address is returned as given.
 */
export function normalizeAddress(raw: string): string {
  // The usual case, a socket's IPv4 peer, is already in its one spelling.
  if (isIP(raw) === 4) return raw;
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address);
  if (withPort?.[1]) address = withPort[1];
  address = address.split('%')[0] ?? address;
  if (isIP(address) === 4) return address;
  if (isIP(address) !== 6) return raw;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function parseNetwork(item: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    return null;
  }
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/** `::ffff:10.0.0.7` (an IPv4 peer on a dual-stack socket) -> `10.0.0.7`. */
function unmapIPv4(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}
