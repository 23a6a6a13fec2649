import {
  DEFAULT_ROOM,
  PROTOCOL_V1,
  type Ack,
  type ChatMessage,
  type ErrorPayload,
  type Notice,
  type ServerEventMap,
  type ServerEventName,
} from '@chat/contracts';
import { clockTime, toSimpleOut } from './simple-format.js';
import type { WireProtocol } from './wire-protocol.js';

/**
 * How one wire protocol says each thing the server tells a client: the only place that knows.
 * Each method returns the frame's JSON value, or null when the protocol has no way to say it
 * (the client is then told nothing).
 */
export interface WireRenderer {
  /** The room a client of this protocol is in from connect on (simple: general); null when it joins rooms itself. */
  readonly fixedRoom: string | null;
  event<E extends ServerEventName>(event: E, data: ServerEventMap[E]): object | null;
  /** {@link WireRenderer.event} for data that is JSON already (see ClientConnection.sendJson). */
  eventJson(event: ServerEventName, dataJson: string): string | null;
  message(message: ChatMessage): object | null;
  ack(ack: Ack): object | null;
  notice(notice: Notice): object | null;
  error(error: ErrorPayload): object;
}

/** chat.v1: every event is an envelope `{event, data}`. */
const chatV1: WireRenderer = {
  fixedRoom: null,
  event: (event: ServerEventName, data: unknown) => ({ event, data }),
  eventJson: (event, dataJson) => `{"event":${JSON.stringify(event)},"data":${dataJson}}`,
  message: (data) => ({ event: 'message', data }),
  ack: (data) => ({ event: 'ack', data }),
  notice: (data) => ({ event: 'notice', data }),
  error: (data) => ({ event: 'error', data }),
};

/**
 * The simple protocol: flat `{name, message, time}` objects in room general only. It has no acks
 * (nothing to settle), no other events, and server lines come from the name "server".
 */
const simple: WireRenderer = {
  fixedRoom: DEFAULT_ROOM,
  event: () => null,
  eventJson: () => null,
  message: (message) => (message.room === DEFAULT_ROOM ? toSimpleOut(message) : null),
  ack: () => null,
  // An empty notice only settles a chat.v1 client's pending send: nothing to show here.
  notice: ({ text }) => (text ? { name: 'server', message: text, time: clockTime(new Date()) } : null),
  error: ({ code, message }) => ({
    name: 'server',
    message: `error: ${message}`,
    time: clockTime(new Date()),
    error: { code, message },
  }),
};

export const WIRE_RENDERERS: Readonly<Record<WireProtocol, WireRenderer>> = { [PROTOCOL_V1]: chatV1, simple };
