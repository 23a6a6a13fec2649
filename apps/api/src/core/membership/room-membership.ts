import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DEFAULT_ROOM, type CreateRoomRequest, type RoomInfo, type User } from '@chat/contracts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../common/errors/chat-errors.js';
import { AppConfigService } from '../../config/app-config.service.js';
import { Quotas } from '../../quotas/quotas.js';
import { MEMBERSHIP_STORE, type AddOutcome, type MembershipStore } from '../../storage/membership-store.js';
import { ROOM_STORE, type RoomStore } from '../../storage/room-store.js';
import { DM_PREFIX, dmRoomName } from './dm-room-name.js';
import { MembershipLog } from './membership-log.js';
import { bannedFrom, invisible } from './membership-permissions.js';
import { MembersLookup } from './members-lookup.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { ReadCoalescer, type PendingRead } from './read-coalescer.js';
import { toRoomInfo } from './room-info.js';
import { UserChannel } from './user-channel.js';

/**
 * Rooms that belong to people: creating rooms and DMs, joining, leaving, read markers and the
 * rooms a user is in. Moderation (add, remove, ban, mute, roles) is {@link RoomModeration}.
 * Every door (WebSocket, HTTP, modules) calls these, so the rules hold the same everywhere.
 */
@Injectable()
export class RoomMembership implements OnApplicationShutdown {
  private readonly logger = new Logger(RoomMembership.name);
  private readonly reads = new ReadCoalescer((reads) => this.writeReads(reads));

  constructor(
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    @Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore,
    private readonly lookup: MembersLookup,
    private readonly channel: UserChannel,
    private readonly log: MembershipLog,
    private readonly quotas: Quotas,
    private readonly config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {}

  /** Read markers still in memory are written before the store closes (it shuts down after us). */
  async onApplicationShutdown(): Promise<void> {
    await this.reads.flush();
  }

  /** Refuses a name a room cannot be created under by joining or POST (DM names are reserved). */
  assertCreatable(name: string): void {
    if (name.startsWith(DM_PREFIX)) {
      throw new BadRequestError(
        `room names starting with "${DM_PREFIX}" are reserved for direct messages: choose another name`,
      );
    }
  }

  /**
   * Creates a room owned by `owner` (registered users only), within the room-creation quota
   * (counted only when the name is free). Throws ConflictError when the name is taken.
   */
  async create(owner: User, { name, kind, topic }: CreateRoomRequest, ip?: string): Promise<RoomInfo> {
    if (owner.guest) throw new ForbiddenError('guests cannot create rooms: register to create one');
    this.assertCreatable(name);
    if (await this.rooms.exists(name))
      throw new ConflictError(`room "${name}" exists already: choose another name`);
    await this.quotas.roomCreations.take({ userId: owner.id, ...(ip !== undefined && { ip }) });
    const created = await this.rooms.create(name, { kind, owner, ...(topic && { topic }) });
    if (!created) throw new ConflictError(`room "${name}" exists already: choose another name`);
    const entry = await this.log.recorded({ room: name, user: owner, role: 'owner', reason: 'joined' });
    return this.added(name, owner, entry.seq);
  }

  /**
   * A registered user's join of a room that does not exist creates it: public, theirs (the
   * join's guard has counted it against the quota). True when this call created it.
   */
  async createByJoin(name: string, owner: User): Promise<boolean> {
    this.assertCreatable(name);
    if (!(await this.rooms.create(name, { kind: 'public', owner }))) return false;
    const entry = await this.log.recorded({ room: name, user: owner, role: 'owner', reason: 'joined' });
    await this.added(name, owner, entry.seq);
    return true;
  }

  /**
   * The DM of `actor` and the account `username`: the same room every time, from either side.
   * A new one counts against DMS_PER_MINUTE_PER_USER and is announced to both.
   */
  async openDm(actor: User, username: string): Promise<{ room: RoomInfo; created: boolean }> {
    if (actor.guest) throw new ForbiddenError('guests cannot open direct messages: register first');
    const other = await this.lookup.account(username);
    if (other.id === actor.id)
      throw new BadRequestError('a direct message needs someone else: name another account');
    const name = dmRoomName(actor.id, other.id);
    const existing = await this.rooms.find(name);
    if (!existing) await this.quotas.dmOpens.take({ userId: actor.id });
    const created = await this.rooms.openDirect(name, actor, other);
    if (created) {
      let last = 0;
      for (const user of [actor, other])
        last = (await this.log.recorded({ room: name, user, role: 'member', reason: 'joined' })).seq;
      await this.store.markRead(name, other.id, last);
      this.channel.tell(other.id, { event: 'room.added', data: { room: await this.info(name, other) } });
      return { room: await this.added(name, actor, last), created };
    }
    return { room: await this.info(name, actor), created };
  }

  /**
   * A connection's `join`: refuses the banned and non-members of private rooms and DMs; in a
   * public room, a token holder becomes a member. `lasting: false` (a tokenless connection)
   * reads and writes public rooms without membership.
   */
  async enter(room: string, user: User, lasting: boolean): Promise<void> {
    const access = await this.store.access(room, user.id);
    if (!access) throw invisible(room);
    if (access.banned) throw bannedFrom(room);
    if (access.member) return;
    if (access.kind !== 'public') throw invisible(room);
    if (!lasting) return;
    this.assertAdded(
      room,
      await this.store.add(room, user, 'member', this.config.get('MAX_MEMBERS_PER_ROOM')),
    );
    const entry = await this.log.recorded({ room, user, role: 'member', reason: 'joined' });
    await this.added(room, user, entry.seq);
  }

  /** Leaves the room for good (every connection of the user, every instance). `general` is everyone's. */
  async leave(room: string, user: User): Promise<void> {
    if (room === DEFAULT_ROOM)
      throw new ForbiddenError(`"${DEFAULT_ROOM}" is everyone's room: it cannot be left`);
    await this.assertNotLastOwner(room, user);
    if (!(await this.store.remove(room, user.id)))
      throw new NotFoundError(`you are not a member of room "${room}"`);
    await this.log.recorded({ room, user, reason: 'left' });
    this.channel.removed(room, user.id, 'left');
  }

  /**
   * A room keeps an owner while it has members: its last owner may leave only once alone in it
   * (two owners leaving at the same moment may both pass; an owner can then be named by hand).
   */
  private async assertNotLastOwner(room: string, user: User): Promise<void> {
    const access = await this.store.access(room, user.id);
    if (access?.member?.role !== 'owner') return;
    const record = await this.rooms.find(room);
    if (!record || record.memberCount <= 1 || (await this.store.owners(room)) > 1) return;
    throw new ForbiddenError(
      `you are the last owner of room "${room}": make another member an owner first (PUT /api/rooms/${room}/members/:username {"role":"owner"})`,
    );
  }

  /**
   * Moves the read marker forward (a lower seq, or a non-member, changes nothing, and is no
   * error); the user's other connections hear `read`. Gathered for up to a second first (see
   * {@link ReadCoalescer}): a burst of reads is one write and one echo.
   */
  markRead(room: string, user: User, seq: number, fromConnection?: string): void {
    this.reads.mark(room, user.id, seq, fromConnection);
  }

  /** Writes the read markers of a user who disconnected: their next connection may be elsewhere. */
  flushReads(userId: string): Promise<void> {
    return this.reads.flushUser(userId);
  }

  /** A flush of gathered markers: one store transaction, then the echo to each user's other devices. */
  private async writeReads(reads: PendingRead[]): Promise<void> {
    let moved: (number | null)[];
    try {
      moved = await this.store.markReadMany(reads);
    } catch (error) {
      this.logger.warn(`${reads.length} read markers were not stored: ${(error as Error).message}`);
      return;
    }
    this.metrics.readMarkersWritten.inc(reads.length);
    reads.forEach(({ room, userId, fromConnection }, i) => {
      const seq = moved[i];
      if (seq !== null && seq !== undefined)
        this.channel.tell(userId, { event: 'read', data: { room, seq } }, fromConnection);
    });
  }

  /** Every room and DM of the user, with their counts. */
  async roomsOf(user: User): Promise<RoomInfo[]> {
    return (await this.store.roomsOf(user.id)).map(toRoomInfo);
  }

  /** One room as `user` (a member) sees it. */
  async info(room: string, user: User): Promise<RoomInfo> {
    const [record] = await this.store.roomsOf(user.id, room);
    if (!record) throw invisible(room);
    return toRoomInfo(record);
  }

  /** Refusals of an add, as the caller should hear them. */
  assertAdded(room: string, outcome: AddOutcome): void {
    if (outcome === 'missing') throw new NotFoundError(`room "${room}" does not exist`);
    if (outcome === 'banned')
      throw new ForbiddenError(`that user is banned from room "${room}": lift the ban first`);
    if (outcome === 'full') {
      const max = this.config.get('MAX_MEMBERS_PER_ROOM');
      throw new ForbiddenError(`room "${room}" is full: it has ${max} members, the most a room may have`);
    }
  }

  /**
   * Tells every connection of `user` that the room is theirs now; returns its info. `readTo`: the
   * seq of the log entry that made them a member, read by definition (nothing before it is
   * theirs to read), so that a new member's `readSeq` is the room's `lastSeq`.
   */
  async added(room: string, user: User, readTo?: number): Promise<RoomInfo> {
    if (readTo !== undefined) await this.store.markRead(room, user.id, readTo);
    const info = await this.info(room, user);
    this.channel.tell(user.id, { event: 'room.added', data: { room: info } });
    return info;
  }
}
