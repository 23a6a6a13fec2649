import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PresenceDiff, User } from '@chat/contracts';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, pageBudgetBytes } from '../config/frame-budget.js';
import { PresenceService } from '../presence/presence.service.js';
import type { BroadcastFrame } from '../ws/broadcast-frame.js';
import type { RoomMember } from '../ws/client-connection.js';
import { envelopeFrame } from '../ws/frames.js';
import { chunkDiff, chunkUsers } from './presence-chunks.js';
import { RoomRegistry } from './room-registry.js';

/**
 * A room's presence changes within this window go out as one `presence.diff`, and joiners get
 * their `presence` list at the same moment. Short enough to look instant; long enough that a
 * thousand clients joining a big room cost tens of frames per member instead of a thousand.
 */
export const PRESENCE_BATCH_MS = 100;

interface RoomBatch {
  /** Users changed since the last batch -> what the members were told of them then (null: absent). */
  readonly told: Map<string, User | null>;
  /** Connections that joined since the last batch and wait for the full list. */
  readonly joiners: Set<RoomMember>;
  /** The encoded list (in parts, for a big room), until presence in the room changes. */
  list: BroadcastFrame[] | undefined;
  /** Set while a batch is due or the window after one is still running. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Tells this instance's members of each room who is there. The first change in a quiet room goes
 * out at the end of the current tick; changes during the next {@link PRESENCE_BATCH_MS} are
 * gathered and sent together when it ends, as the net difference from what members were last
 * told (a user who came and went in between is not mentioned). A joiner gets the full list with
 * that batch instead of the diff, so list and diffs never overlap or leave a gap, and nobody is
 * told about themselves. The list is encoded once per batch, for all of that batch's joiners.
 */
@Injectable()
export class PresenceFanout implements OnApplicationShutdown {
  private readonly rooms = new Map<string, RoomBatch>();
  /** Bytes of users in one frame: the same budget as a page of messages. */
  private readonly maxBytes: number;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    config: AppConfigService,
  ) {
    this.maxBytes = pageBudgetBytes(frameBudgetConfig(config));
  }

  /** A user appeared in or left a room (from any instance). */
  changed({ room, joined, left }: PresenceDiff): void {
    const current = this.rooms.get(room);
    if (current) current.list = undefined;
    // Nobody here to tell; a later joiner reads the list as it is then.
    if (!this.registry.hasMembers(room)) return;
    const batch = current ?? this.batchOf(room);
    for (const user of left) if (!batch.told.has(user.id)) batch.told.set(user.id, user);
    for (const user of joined) if (!batch.told.has(user.id)) batch.told.set(user.id, null);
  }

  /** `client` has just joined `room` (and gone live): it gets the full list with the next batch. */
  sendList(room: string, client: RoomMember): void {
    this.batchOf(room).joiners.add(client);
  }

  onApplicationShutdown(): void {
    for (const batch of this.rooms.values()) clearTimeout(batch.timer);
    this.rooms.clear();
  }

  private batchOf(room: string): RoomBatch {
    let batch = this.rooms.get(room);
    if (!batch) {
      batch = { told: new Map(), joiners: new Set(), list: undefined, timer: undefined };
      this.rooms.set(room, batch);
      const started = batch;
      // A quiet room: this tick's changes go out now, and the window starts.
      process.nextTick(() => this.flush(room, started));
    }
    return batch;
  }

  /** Sends what gathered, then keeps the window open; a window with nothing in it ends the batching. */
  private flush(room: string, batch: RoomBatch): void {
    if (this.rooms.get(room) !== batch) return;
    batch.timer = undefined;
    if (batch.told.size === 0 && batch.joiners.size === 0) {
      this.rooms.delete(room);
      return;
    }
    const diff = this.netDiff(room, batch.told);
    batch.told.clear();
    const joiners = new Set([...batch.joiners].filter((client) => this.registry.isLive(room, client)));
    batch.joiners.clear();
    if (joiners.size > 0) {
      batch.list ??= this.listFrames(room);
      for (const client of joiners) for (const frame of batch.list) client.deliver(frame);
    }
    if (diff) for (const part of chunkDiff(diff, this.maxBytes)) this.sendDiff(room, part, joiners);
    batch.timer = setTimeout(() => this.flush(room, batch), PRESENCE_BATCH_MS);
    batch.timer.unref();
  }

  /** The room's list; a list too big for one frame is sent in parts, each but the last marked `more`. */
  private listFrames(room: string): BroadcastFrame[] {
    const parts = chunkUsers(this.presence.users(room), this.maxBytes);
    return parts.map((users, index) =>
      envelopeFrame('presence', { room, users, ...(index < parts.length - 1 && { more: true as const }) }),
    );
  }

  /** What changed since members were last told, or null when, in the end, nothing did. */
  private netDiff(room: string, told: Map<string, User | null>): PresenceDiff | null {
    const joined: User[] = [];
    const left: User[] = [];
    for (const [userId, before] of told) {
      const now = this.presence.userIn(room, userId) ?? null;
      if (before && now && sameUser(before, now)) continue;
      // A renamed user is in both: clients drop everyone named in either list, then add `joined`.
      if (before) left.push(before);
      if (now) joined.push(now);
    }
    return joined.length > 0 || left.length > 0 ? { room, joined, left } : null;
  }

  /** One encoding for everyone; a member named in the diff gets it without themselves. */
  private sendDiff(room: string, diff: PresenceDiff, skip: Set<RoomMember>): void {
    const shared = envelopeFrame('presence.diff', diff);
    const named = new Set([...diff.joined, ...diff.left].map((user) => user.id));
    const withoutSelf = new Map<string, BroadcastFrame | null>();
    this.registry.forEachLive(room, (client) => {
      if (skip.has(client)) return;
      const userId = client.user.id;
      if (!named.has(userId)) {
        client.deliver(shared);
        return;
      }
      let frame = withoutSelf.get(userId);
      if (frame === undefined) {
        const joined = diff.joined.filter((user) => user.id !== userId);
        const left = diff.left.filter((user) => user.id !== userId);
        frame =
          joined.length + left.length > 0 ? envelopeFrame('presence.diff', { room, joined, left }) : null;
        withoutSelf.set(userId, frame);
      }
      if (frame) client.deliver(frame);
    });
  }
}

function sameUser(a: User, b: User): boolean {
  return a.id === b.id && a.name === b.name && a.guest === b.guest;
}
