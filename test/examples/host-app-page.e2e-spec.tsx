import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import WebSocket from 'ws';
import { ChatPage } from '../../examples/host-app/web/ChatPage.js';
import { createTempDir } from '../utils/temp-dir.js';
import { TestClient } from '../utils/test-client.js';
import { startHostAppProcess, type HostAppProcess } from './host-app-process.js';

/** POST {username} to the host's sign-in (node:http: jsdom's window has no fetch). */
function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.once('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The host app's page, rendered in jsdom against the running host app, signed in with the host's token. */
describe("examples/host-app/web: the chat's React hooks in the host's own page", () => {
  let dataDir: ReturnType<typeof createTempDir>;
  let host: HostAppProcess;
  let wsUrl: string;

  beforeAll(async () => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    dataDir = createTempDir();
    host = await startHostAppProcess(dataDir.path);
    wsUrl = host.wsUrl;
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    dataDir?.remove();
  });

  /** A host token, and the chat's id for its user: `host:<sub>` (the guide's claim mapping). */
  async function signIn(username: string): Promise<{ token: string; id: string }> {
    const answer = await postJson(`${host.baseUrl}/auth/sign-in`, { username });
    expect(answer.status).toBe(200);
    return { token: (answer.body as { token: string }).token, id: `host:member-${username}` };
  }

  it("should show the room's messages and send one that another user receives", async () => {
    const other = await signIn('grace');
    const grace = await TestClient.joined(wsUrl, 'general', { token: other.token });
    try {
      grace.send('send', { room: 'general', text: 'written before the page opened', clientId: 'page-1' });
      await grace.next('ack', (ack) => ack.clientId === 'page-1');

      const ada = await signIn('ada');
      const headers = { Authorization: `Bearer ${ada.token}` };
      const page = render(
        <ChatPage
          user={{ id: ada.id }}
          url={wsUrl}
          options={{
            storage: null,
            socket: {
              createSocket: (url, protocols) =>
                new WebSocket(url, protocols, { headers }) as unknown as globalThis.WebSocket,
            },
          }}
        />,
      );
      try {
        await waitFor(() => expect(screen.getByRole('status').textContent).toBe('open'));
        const messages = screen.getByRole('list', { name: 'messages' });
        // The room's history, from the join.
        await waitFor(() =>
          expect(within(messages).getByText('grace: written before the page opened')).toBeTruthy(),
        );

        // Live: what another user writes appears.
        grace.send('send', { room: 'general', text: 'live from grace', clientId: 'page-2' });
        await waitFor(() => expect(within(messages).getByText('grace: live from grace')).toBeTruthy());

        // And what the page sends reaches the other side, as ada.
        fireEvent.change(screen.getByRole('textbox', { name: 'message' }), {
          target: { value: 'hello from the page' },
        });
        fireEvent.click(screen.getByRole('button', { name: 'Send' }));
        const received = await grace.next('message', (message) => message.text === 'hello from the page');
        expect(received.user).toMatchObject({ id: ada.id, name: 'ada' });
        await waitFor(() => expect(within(messages).getByText('ada: hello from the page')).toBeTruthy());
      } finally {
        page.unmount();
      }
    } finally {
      await grace.close();
    }
  });
});
