import type { ErrorPayload, ServerEventMap, ServerEventName, User } from '@chat/contracts';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import type { WireProtocol } from '../ws/wire-protocol.js';

/** A connected client as chat logic sees it: who it is and typed ways to reach it, no socket. */
export interface ChatClient {
  readonly id: string;
  readonly user: User;
  readonly protocol: WireProtocol;
  /** The client's IP address (per-IP quotas). */
  readonly remoteAddress: string;
  /** False once the connection is closing or closed. */
  readonly isOpen: boolean;
  /** Rooms this client has joined. */
  readonly rooms: Set<string>;
  send<E extends ServerEventName>(event: E, data: ServerEventMap[E]): void;
  sendError(error: ErrorPayload): void;
  /** A plain JSON object to a simple-protocol client (ignored for chat.v1). */
  sendSimple(payload: object): void;
  /** Changes the display name this connection goes by (its user id stays). */
  rename(name: string): void;
  deliver(frame: BroadcastFrame): void;
}
