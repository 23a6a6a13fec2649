import type {
  ChatMessage,
  Mention,
  ReadMarker,
  RoomAdded,
  RoomChange,
  RoomsSnapshot,
  User,
} from '@chat/contracts';

/** A frame of a user's own channel (docs/protocol.md, "Your own channel"). */
export type UserChannelFrame =
  | { event: 'rooms'; data: RoomsSnapshot }
  | { event: 'room.added'; data: RoomAdded }
  | { event: 'read'; data: ReadMarker }
  | { event: 'mention'; data: Mention };

/** What instances tell each other: each reaches the instances that hear its topic ({@link topicOf}), the sender's included. */
export type BusEvent =
  /** A message was stored. */
  | { type: 'message'; message: ChatMessage }
  /** A change (edit, delete, reaction, membership) was logged: an entry of its room's log with its own seq. */
  | { type: 'change'; change: RoomChange }
  /** A user is typing in a room. */
  | { type: 'typing'; room: string; user: User }
  /** A user's first connection to a room on `instanceId` arrived, or its last one went. */
  | { type: 'presence'; instanceId: string; room: string; user: User; change: 'joined' | 'left' }
  /**
   * `instanceId` may have missed telling the others about presence changes (its link to the bus
   * was down): re-read its whole presence from the shared presence store.
   */
  | { type: 'presence-sync'; instanceId: string }
  /** The account's tokens older than `version` were revoked: close the connections they opened. */
  | { type: 'tokens-revoked'; userId: string; version: number }
  /**
   * The user is out of the room (ChatCore.kick, or RoomMembership: left, kicked, banned; the
   * membership is already gone): their connections leave it on every instance and every one of
   * them is told `room.removed` with `removal` (kicked when absent).
   */
  | { type: 'kick'; room: string; userId: string; reason?: string; removal?: 'left' | 'kicked' | 'banned' }
  /** A frame for every connection of one user, on every instance, except `exceptConnection`. */
  | { type: 'user-channel'; userId: string; frame: UserChannelFrame; exceptConnection?: string }
  /** ChatCore.disconnectUser: that user's connections are closed, on every instance. */
  | { type: 'disconnect-user'; userId: string; reason?: string }

  /**
   * A feature module's own event (ClusterEvents): `name` says which, `payload` is JSON data
   * checked against the event's schema on arrival, `instanceId` is the publisher.
   */
  | { type: 'module'; instanceId: string; name: string; payload: unknown };

export type BusListener = (event: BusEvent) => void;

/**
 * What an instance may choose to hear: one room's log, typing and its members' presence
 * changes, or one user's own channel. Events of a topic reach only the instances that
 * {@link Bus.watch} it (and the publisher's own listeners); every other event reaches every
 * instance. See {@link topicOf}.
 */
export type BusTopic = `room:${string}` | `user:${string}`;

export const roomTopic = (room: string): BusTopic => `room:${room}`;
export const userTopic = (userId: string): BusTopic => `user:${userId}`;

/**
 * The topic an event travels on, or null for the events every instance must hear. Presence
 * travels with its room: an instance that starts hearing a room reads the room's presence from
 * the presence store (PresenceKeeper), and the directory's counts of rooms it does not hear come
 * from there too (PresenceService.onlineCounts). `presence-sync` stays cluster-wide: any
 * instance may hear rooms of the one that asks. A kick goes to the user: their connections leave the room wherever they are, and the room's
 * own `member` entry tells the instances that hear the room.
 */
export function topicOf(event: BusEvent): BusTopic | null {
  switch (event.type) {
    case 'message':
      return roomTopic(event.message.room);
    case 'change':
      return roomTopic(event.change.data.room);
    case 'typing':
    case 'presence':
      return roomTopic(event.room);
    case 'kick':
    case 'user-channel':
    case 'disconnect-user':
    case 'tokens-revoked':
      return userTopic(event.userId);
    default:
      return null;
  }
}

/**
 * The port that fans stored messages, presence and typing out to the instances that need them.
 * Delivery is best effort between instances: the message store stays the source of truth, and
 * {@link Bus.onReconnect} and {@link Bus.onHeard} tell listeners when they may have missed
 * something.
 */
export interface Bus {
  /** Delivers to this instance's listeners at once, and to the other instances when it can. */
  publish(event: BusEvent): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: BusListener): () => void;
  /**
   * Called each time the link to the other instances is (re)established: events of other
   * instances may have been lost while it was down, so listeners catch up from the stores.
   * Never called by a bus that cannot lose events. Returns a function that stops listening.
   */
  onReconnect(listener: () => void): () => void;
  /**
   * From now on this instance hears `topic`'s events from every instance (not counted: one
   * unwatch undoes any number of watches). Resolves once it does, or after a short wait when the
   * link is slow or down (listeners then hear {@link onHeard} when it is heard at last).
   */
  watch(topic: BusTopic): Promise<void>;
  /** This instance no longer needs `topic`'s events (the bus may keep hearing it a while). */
  unwatch(topic: BusTopic): void;
  /** True while this instance hears every instance's events of `topic`. */
  hears(topic: BusTopic): boolean;
  /**
   * Called each time this instance starts hearing `topic`: its events published before that
   * (while it was not heard) may have been missed. Returns a function that stops listening.
   */
  onHeard(listener: (topic: BusTopic) => void): () => void;
  close(): Promise<void>;
}

/** Nest injection token for the configured {@link Bus}. */
export const BUS = Symbol('Bus');

/**
 * Nest injection token for a bus given by the embedder (`ChatModule.forRoot({bus})`): when it is
 * provided, BusModule uses it instead of choosing by REDIS_URL.
 */
export const GIVEN_BUS = Symbol('GivenBus');
