import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { isPrivateAddress } from './private-address.js';

/**
 * A receiver URL as given to `webhook add`: http(s) only, no credentials, and (unless private
 * addresses are allowed) a host that resolves to public addresses only. Checked again at each
 * delivery (webhook-sender.ts), since DNS may change.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    // WHATWG parsing: 0x7f.1, 2130706433 and 127.1 come out as 127.0.0.1, an IPv6 host in its
    // compressed hex form (::ffff:7f00:1), and a zone id ([fe80::1%eth0]) is no URL at all.
    url = new URL(raw);
  } catch {
    throw new BadRequestError(`url "${raw}" is not a URL: use https://host/path`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BadRequestError(`url must be http:// or https://, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new BadRequestError('url must not carry credentials: the signature authenticates the sender');
  }
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses =
    isIP(host) !== 0
      ? [host]
      : await lookup(host, { all: true }).then(
          (found) => found.map((a) => a.address),
          () => [],
        );
  if (addresses.length === 0)
    throw new BadRequestError(`url host "${host}" does not resolve: check the name`);
  if (addresses.some(isPrivateAddress)) {
    throw new BadRequestError(
      `url host "${host}" is not a public address (loopback, private, link-local, reserved, or one that embeds such an IPv4 address): set WEBHOOK_ALLOW_PRIVATE=true to allow receivers on your own network`,
    );
  }
  return url;
}
