import { z } from 'zod';
import { clientEventSchemas, type ClientEventMap, type ClientEventName } from './client-events.js';
import { serverEventSchemas, type ServerEventMap, type ServerEventName } from './server-events.js';

/** Subprotocol (Sec-WebSocket-Protocol) of the envelope protocol. */
export const PROTOCOL_V1 = 'chat.v1';

/** The envelope every chat.v1 frame uses, in both directions. */
export type Frame<Map, E extends keyof Map = keyof Map> = {
  [K in E]: { event: K; data: Map[K] };
}[E];

export type ClientFrame<E extends ClientEventName = ClientEventName> = Frame<ClientEventMap, E>;
export type ServerFrame<E extends ServerEventName = ServerEventName> = Frame<ServerEventMap, E>;

function envelopeUnion<const S extends Record<string, z.ZodType>>(schemas: S) {
  const options = Object.entries(schemas).map(([event, data]) => z.object({ event: z.literal(event), data }));
  return z.discriminatedUnion('event', options as [(typeof options)[number], ...typeof options]);
}

/** Validates a whole client frame (used by tests and third-party tooling; the server validates per handler). */
export const ClientFrameSchema = envelopeUnion(clientEventSchemas) as unknown as z.ZodType<ClientFrame>;

/** Validates a whole server frame (used by clients that want to check what they receive). */
export const ServerFrameSchema = envelopeUnion(serverEventSchemas) as unknown as z.ZodType<ServerFrame>;
