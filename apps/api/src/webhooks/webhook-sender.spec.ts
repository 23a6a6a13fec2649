import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendWebhook } from './webhook-sender.js';

const SECRET = `whsec_${Buffer.from('webhook-sender-spec-secret-0123').toString('base64')}`;

/** The connect-time check: a stored URL is judged again at each attempt, whatever its spelling. */
describe(sendWebhook.name, () => {
  let server: Server;
  let port: number;
  let received = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      received += 1;
      request.resume();
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (url: string, allowPrivate: boolean) =>
    sendWebhook({ url, secret: SECRET }, 'msg_spec', '{}', {
      timeoutMs: 5000,
      allowPrivate,
      signal: new AbortController().signal,
    });

  it('should deliver to the local receiver when private addresses are allowed', async () => {
    const before = received;
    expect(await send(`http://127.0.0.1:${port}/hook`, true)).toEqual({ ok: true });
    expect(received).toBe(before + 1);
  });

  it.each([
    'http://127.0.0.1:PORT/hook',
    'http://0x7f000001:PORT/hook',
    'http://[::ffff:127.0.0.1]:PORT/hook',
    'http://[::ffff:7f00:1]:PORT/hook',
    'http://[::127.0.0.1]:PORT/hook',
    'http://[2002:7f00:1::]:PORT/hook',
  ])('should refuse %s before connecting', async (template) => {
    const before = received;
    const result = await send(template.replace('PORT', String(port)), false);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: .* private address/) });
    expect(received).toBe(before);
  });

  it('should refuse a name that resolves to loopback, at connect time', async () => {
    const before = received;
    const result = await send(`http://localhost:${port}/hook`, false);
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/resolves to the private address/),
    });
    expect(received).toBe(before);
  });

  it('should count a URL with a zone id as a failed attempt, not a request', async () => {
    const before = received;
    const result = await send(`http://[fe80::1%25lo]:${port}/hook`, false);
    expect(result.ok).toBe(false);
    expect(received).toBe(before);
  });
});
