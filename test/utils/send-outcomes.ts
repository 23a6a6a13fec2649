import type { ErrorPayload } from '@chat/contracts';
import type { TestClient } from './test-client.js';

export interface SendOutcomes {
  acked: string[];
  refused: ErrorPayload[];
}

/**
 * Sends a message per clientId (all at once, or one every `paceMs` like a sustained flood) and
 * resolves once every one has been settled by an `ack` or an `error` carrying its clientId: no
 * waiting on time, whatever the server's speed.
 */
export function sendAll(
  client: TestClient,
  room: string,
  clientIds: string[],
  { paceMs = 0, timeoutMs = 60_000 }: { paceMs?: number; timeoutMs?: number } = {},
): Promise<SendOutcomes> {
  const outcomes: SendOutcomes = { acked: [], refused: [] };
  const waiting = new Set(clientIds);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${waiting.size} of ${clientIds.length} sends were never settled`)),
      timeoutMs,
    );
    const onMessage = (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { event?: string; data?: { clientId?: string } };
      const clientId = frame.data?.clientId;
      if (clientId === undefined || !waiting.has(clientId)) return;
      if (frame.event === 'ack') outcomes.acked.push(clientId);
      else if (frame.event === 'error') outcomes.refused.push(frame.data as ErrorPayload);
      else return;
      waiting.delete(clientId);
      if (waiting.size === 0) {
        clearTimeout(timer);
        client.socket.off('message', onMessage);
        resolve(outcomes);
      }
    };
    client.socket.on('message', onMessage);
    const send = (clientId: string) => client.send('send', { room, text: `flood ${clientId}`, clientId });
    if (paceMs <= 0) clientIds.forEach(send);
    else clientIds.forEach((clientId, i) => setTimeout(() => send(clientId), i * paceMs));
  });
}

/**
 * The most a fixed-window quota of `points` per `windowMs` can allow in `elapsedMs`: a window
 * starts at its key's first event, so that many windows can have begun.
 */
export function quotaBound(points: number, windowMs: number, elapsedMs: number): number {
  return points * (1 + Math.floor(elapsedMs / windowMs));
}
