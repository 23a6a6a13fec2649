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

/** A big room's members hear its online count at most once a second (its joiners at once)... */
export const PRESENCE_COUNT_EVERY_MS = 1000;
/** ...and past a thousand online, once every `online` ms, up to this: see {@link countInterval}. */
export const PRESENCE_COUNT_MAX_EVERY_MS = 10_000;

/**
 * How long a big room's members wait between two counts: the count itself in ms, between 1 s
 * and 10 s. Up to 10,000 online, a room's count then costs the server about a thousand
 * deliveries a second whatever its size (n members every n ms), instead of growing with it;
 * joiners always get the exact count at once.
 */
export function countInterval(online: number): number {
  return Math.min(PRESENCE_COUNT_MAX_EVERY_MS, Math.max(PRESENCE_COUNT_EVERY_MS, online));
}

/** What this instance's members of a big room were last told. */
interface BigRoom {
  /** The count they were last sent (joiners get the current one on their own). */
  toldOnline: number;
  /** When (Date.now()) that was. */
  toldAt: number;
  /** The latest count frame, for every joiner until the count changes. */
  frame: { online: number; frame: BroadcastFrame } | undefined;
  /** Joiners since the last broadcast -> the count they got: not sent again. */
  joiners: Map<RoomMember, number>;
}

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
 * Tells this instance's members of each room who is there. A room with more than
 * PRESENCE_LIST_MAX users online is big: joiners get `presence.count` instead of the list and
 * members hear the count at most once per {@link countInterval}, so that a join costs
 * the same in a room of ten thousand as in a room of ten (the list is paged on demand, see
 * PresenceDirectory). It is small again once at most half of that many are online (the
 * difference keeps a room near the line from switching back and forth); then every member gets
 * the list, and diffs follow as in any small room.
 *
 * In a small room, the first change in a quiet room goes
 * out at the end of the current tick; changes during the next {@link PRESENCE_BATCH_MS} are
 * gathered and sent together when it ends, as the net difference from what members were last
 * told (a user who came and went in between is not mentioned). A joiner gets the full list with
 * that batch instead of the diff, so list and diffs never overlap or leave a gap, and nobody is
 * told about themselves. The list is encoded once per batch, for all of that batch's joiners.
 */
@Injectable()
export class PresenceFanout implements OnApplicationShutdown {
  private readonly rooms = new Map<string, RoomBatch>();
  /** Rooms that are big on this instance (while it has members there). */
  private readonly big = new Map<string, BigRoom>();
  /** Bytes of users in one frame: the same budget as a page of messages. */
  private readonly maxBytes: number;
  private readonly listMax: number;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    config: AppConfigService,
  ) {
    this.maxBytes = pageBudgetBytes(frameBudgetConfig(config));
    this.listMax = config.get('PRESENCE_LIST_MAX');
  }

  /** A user appeared in or left a room (from any instance). */
  changed({ room, joined, left }: PresenceDiff): void {
    const current = this.rooms.get(room);
    if (current) current.list = undefined;
    // Nobody here to tell; a later joiner reads the list (or count) as it is then.
    if (!this.registry.hasMembers(room)) {
      this.big.delete(room);
      return;
    }
    const batch = current ?? this.batchOf(room);
    for (const user of left) if (!batch.told.has(user.id)) batch.told.set(user.id, user);
    for (const user of joined) if (!batch.told.has(user.id)) batch.told.set(user.id, null);
  }

  /**
   * `client` has just joined `room` (and gone live). In a big room it gets the count at once, in
   * the same write as its `joined` (nothing to gather: the count is one number); in a small one
   * the full list, with the next batch.
   */
  sendList(room: string, client: RoomMember): void {
    // This instance has just started hearing the room: the others' part is on its way from the
    // store, and the joiner's first list (or count) should have it.
    const loading = this.presence.loading(room);
    if (loading) {
      void loading.then(() => {
        if (this.registry.isLive(room, client)) this.sendListNow(room, client);
      });
    } else this.sendListNow(room, client);
  }

  private sendListNow(room: string, client: RoomMember): void {
    const online = this.presence.onlineCount(room);
    // Only a batch turns a big room small again: its members must get the list at that moment.
    if (this.big.has(room) || online > this.listMax) {
      this.bigRoom(room).joiners.set(client, online);
      client.deliver(this.countFrame(room, online));
    } else this.batchOf(room).joiners.add(client);
  }

  onApplicationShutdown(): void {
    for (const batch of this.rooms.values()) clearTimeout(batch.timer);
    this.rooms.clear();
    this.big.clear();
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
    const quiet = batch.told.size === 0 && batch.joiners.size === 0 && !this.countDue(room);
    // Nobody here any more: nothing to send, nothing to keep.
    if (!this.registry.hasMembers(room)) this.big.delete(room);
    if (quiet || !this.registry.hasMembers(room)) {
      this.rooms.delete(room);
      return;
    }
    const joiners = new Set([...batch.joiners].filter((client) => this.registry.isLive(room, client)));
    batch.joiners.clear();
    const online = this.presence.onlineCount(room);
    const wasBig = this.big.has(room);
    if (this.isBig(room, online)) {
      batch.told.clear(); // a big room's members hear the count, not who
      this.sendCount(room, online, joiners, !wasBig);
    } else if (wasBig) {
      // Back to small: everyone holds a count only, so everyone gets the list; diffs follow.
      batch.told.clear();
      batch.list ??= this.listFrames(room);
      this.registry.forEachLive(room, (client) => {
        for (const frame of batch.list!) client.deliver(frame);
      });
    } else {
      const diff = this.netDiff(room, batch.told);
      batch.told.clear();
      if (joiners.size > 0) {
        batch.list ??= this.listFrames(room);
        for (const client of joiners) for (const frame of batch.list) client.deliver(frame);
      }
      if (diff) for (const part of chunkDiff(diff, this.maxBytes)) this.sendDiff(room, part, joiners);
    }
    batch.timer = setTimeout(() => this.flush(room, batch), PRESENCE_BATCH_MS);
    batch.timer.unref();
  }

  /** Whether `room` is big now (and remembers it): above the maximum, or big before and above half of it. */
  private isBig(room: string, online: number): boolean {
    const big = this.big.has(room) ? online > Math.floor(this.listMax / 2) : online > this.listMax;
    if (big) this.bigRoom(room);
    else this.big.delete(room);
    return big;
  }

  private bigRoom(room: string): BigRoom {
    let big = this.big.get(room);
    if (!big) {
      big = { toldOnline: -1, toldAt: -Infinity, frame: undefined, joiners: new Map() };
      this.big.set(room, big);
    }
    return big;
  }

  /** `presence.count` of a big room, encoded once per count. */
  private countFrame(room: string, online: number): BroadcastFrame {
    const big = this.big.get(room)!;
    if (big.frame?.online !== online)
      big.frame = { online, frame: envelopeFrame('presence.count', { room, online }) };
    return big.frame.frame;
  }

  /** A big room's members were told another count than the room has now. */
  private countDue(room: string): boolean {
    const big = this.big.get(room);
    return big !== undefined && big.toldOnline !== this.presence.onlineCount(room);
  }

  /**
   * Joiners get the count at once; the other members when it changed and their last one is
   * {@link countInterval} old (or `now`: the room has just become big, and they hold a list).
   */
  private sendCount(room: string, online: number, joiners: Set<RoomMember>, now: boolean): void {
    const big = this.big.get(room)!;
    const frame = this.countFrame(room, online);
    for (const client of joiners) client.deliver(frame);
    const at = Date.now();
    if (big.toldOnline === online) {
      big.joiners.clear(); // everyone holds this count: nothing pending to spare anyone
      return;
    }
    if (!now && at - big.toldAt < countInterval(online)) return;
    big.toldOnline = online;
    big.toldAt = at;
    const told = big.joiners;
    big.joiners = new Map();
    this.registry.forEachLive(room, (client) => {
      if (!joiners.has(client) && told.get(client) !== online) client.deliver(frame);
    });
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
