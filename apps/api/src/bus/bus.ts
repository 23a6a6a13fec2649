import type { ChatMessage, User } from '@chat/contracts';

/** What instances tell each other. Every event reaches every instance, the sender's included. */
export type BusEvent =
  /** A message was stored. */
  | { type: 'message'; message: ChatMessage }
  /** A user is typing in a room. */
  | { type: 'typing'; room: string; user: User }
  /** A user's first connection to a room on `instanceId` arrived, or its last one went. */
  | { type: 'presence'; instanceId: string; room: string; user: User; change: 'joined' | 'left' };

export type BusListener = (event: BusEvent) => void;

/** The port that fans stored messages, presence and typing out to every instance. */
export interface Bus {
  publish(event: BusEvent): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

/** Nest injection token for the configured {@link Bus}. */
export const BUS = Symbol('Bus');
