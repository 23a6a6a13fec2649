import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../common/errors/chat-errors.js';
import { checkWebhookUrl } from './webhook-url.js';

describe(checkWebhookUrl.name, () => {
  it.each([
    ['http://[::ffff:127.0.0.1]/hook', 'mapped loopback (the URL spells it ::ffff:7f00:1)'],
    ['http://[::ffff:7f00:1]/hook', 'mapped loopback in hex'],
    ['http://[::ffff:a9fe:a9fe]/latest/meta-data', 'mapped metadata address'],
    ['http://[::127.0.0.1]/hook', 'IPv4-compatible loopback'],
    ['http://[2002:7f00:1::]/hook', '6to4 of loopback'],
    ['http://[2001::1]/hook', 'Teredo'],
    ['http://[64:ff9b:1::a00:1]/hook', 'NAT64 local-use'],
    ['http://[100::1]/hook', 'discard'],
    ['http://[2001:db8::1]/hook', 'documentation'],
    ['http://[fe80::1]/hook', 'link-local'],
    ['http://0x7f000001/hook', 'hex IPv4'],
    ['http://2130706433/hook', 'decimal IPv4'],
    ['http://0177.0.0.1/hook', 'octal IPv4'],
    ['http://127.1/hook', 'short IPv4'],
    ['http://192.0.2.1/hook', 'TEST-NET-1'],
    ['http://203.0.113.5/hook', 'TEST-NET-3'],
    ['http://255.255.255.255/hook', 'broadcast'],
    ['http://localhost/hook', 'a name for loopback'],
  ])('should refuse %s (%s)', async (url) => {
    await expect(checkWebhookUrl(url, false)).rejects.toThrow(/is not a public address/);
  });

  it.each(['http://[fe80::1%eth0]/hook', 'http://[fe80::1%25eth0]/hook'])(
    'should refuse %s with a zone id: not a URL',
    async (url) => {
      await expect(checkWebhookUrl(url, false)).rejects.toThrow(BadRequestError);
      await expect(checkWebhookUrl(url, true)).rejects.toThrow(/is not a URL/);
    },
  );

  it.each(['https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook', 'https://[::ffff:808:808]/hook'])(
    'should accept the public %s',
    async (url) => {
      expect((await checkWebhookUrl(url, false)).href).toBe(url);
    },
  );

  it('should accept a private address when WEBHOOK_ALLOW_PRIVATE is set', async () => {
    expect((await checkWebhookUrl('http://[::ffff:7f00:1]:8080/hook', true)).port).toBe('8080');
  });
});
