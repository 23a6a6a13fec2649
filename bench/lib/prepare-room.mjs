import { randomBytes } from 'node:crypto';

/**
 * Makes sure the rooms exist on our server before guests join them. Guests may only enter
 * existing rooms, and only registered users create them, so the harness registers a throwaway
 * account (fresh DATA_DIR each run) and creates the room over the HTTP API, as a user would.
 * A server without that API (404) is taken to let guests create rooms by joining.
 * @param {number} port
 * @param {string[]} rooms
 */
export async function prepareRoom(port, rooms) {
  const base = `http://127.0.0.1:${port}`;
  const credentials = {
    username: `bench-${randomBytes(4).toString('hex')}`,
    password: randomBytes(16).toString('hex'),
  };
  const registered = await post(`${base}/api/auth/register`, credentials);
  if (registered.status === 404) return;
  if (!registered.ok)
    throw new Error(`could not register a bench user: HTTP ${registered.status} ${await registered.text()}`);
  const { token } = await registered.json();
  for (const room of rooms) {
    const created = await post(`${base}/api/rooms`, { name: room }, token);
    if (!created.ok)
      throw new Error(`could not create room "${room}": HTTP ${created.status} ${await created.text()}`);
  }
}

function post(url, body, token) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}
