import { PROTOCOL_V1 } from '@chat/contracts';

/** Which of the two wire protocols a connection speaks, chosen at the upgrade. */
export type WireProtocol = typeof PROTOCOL_V1 | 'simple';

/**
 * Simple-protocol frames carry no event name; the adapter routes all of them to this handler
 * name. It is not a chat.v1 event, so chat.v1 clients cannot reach it.
 */
export const SIMPLE_PROTOCOL_EVENT = 'simple:message';

/**
 * Picks the protocol from the offered subprotocols (RFC 6455 Sec-WebSocket-Protocol).
 * Returns null when the offer names only protocols we do not speak: such upgrades are refused
 * rather than silently downgraded.
 */
export function selectWireProtocol(header: string | undefined): WireProtocol | null {
  if (header === PROTOCOL_V1) return PROTOCOL_V1; // what every chat.v1 client sends: no parsing
  if (header === undefined || header.trim() === '') return 'simple';
  const offered = header.split(',').map((protocol) => protocol.trim());
  return offered.includes(PROTOCOL_V1) ? PROTOCOL_V1 : null;
}
