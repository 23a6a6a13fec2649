import type { ChatMessage } from '@chat/contracts';

/** What instances tell each other. Every event reaches every instance, the sender's included. */
export type BusEvent = { type: 'message'; message: ChatMessage };

export type BusListener = (event: BusEvent) => void;

/** The port that fans stored messages (and later presence and typing) out to every instance. */
export interface Bus {
  publish(event: BusEvent): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

/** Nest injection token for the configured {@link Bus}. */
export const BUS = Symbol('Bus');
