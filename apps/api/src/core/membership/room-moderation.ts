import { Inject, Injectable } from '@nestjs/common';
import { type RoomInfo, type RoomMember, type RoomRole, type User } from '@chat/contracts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../common/errors/chat-errors.js';
import { AppConfigService } from '../../config/app-config.service.js';
import { MEMBERSHIP_STORE, type MembershipStore } from '../../storage/membership-store.js';
import { ROOM_STORE, type RoomStore } from '../../storage/room-store.js';
import { changeBy, MembershipLog } from './membership-log.js';
import { MembersLookup } from './members-lookup.js';
import { toRoomMember } from './room-info.js';
import { RoomMembership } from './room-membership.js';
import { UserChannel } from './user-channel.js';

/** A mute without an end: until an owner or moderator lifts it. */
const FOREVER = '9999-12-31T23:59:59.999Z';

/**
 * Owners' and moderators' work: adding and removing members, bans, mutes, roles and the topic.
 * Who may do what is checked here for every door (see docs/protocol.md, "Rooms and membership").
 */
@Injectable()
export class RoomModeration {
  constructor(
    @Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore,
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    private readonly lookup: MembersLookup,
    private readonly membership: RoomMembership,
    private readonly channel: UserChannel,
    private readonly log: MembershipLog,
    private readonly config: AppConfigService,
  ) {}

  /** Adds the account `username`: any member of a public room may; owners and moderators elsewhere. */
  async add(room: string, actor: User, username: string): Promise<RoomMember> {
    const access = await this.lookup.readable(room, actor);
    if (access.kind === 'dm')
      throw new BadRequestError('a direct message has exactly two people: open another one');
    if (access.kind === 'private') await this.lookup.moderator(room, actor);
    else if (!access.member) throw new ForbiddenError(`join room "${room}" first, then add people to it`);
    const user = await this.lookup.account(username);
    const outcome = await this.store.add(room, user, 'member', this.config.get('MAX_MEMBERS_PER_ROOM'));
    if (outcome === 'member') throw new ConflictError(`${user.name} is a member of room "${room}" already`);
    this.membership.assertAdded(room, outcome);
    const entry = await this.log.recorded({ room, user, role: 'member', reason: 'added', by: actor });
    await this.membership.added(room, user, entry.seq);
    return { user, role: 'member', muted: false };
  }

  /** Removes a member (owners and moderators); `username` "me" is leaving. */
  async remove(room: string, actor: User, username: string): Promise<void> {
    if (username === 'me') return this.membership.leave(room, actor);
    const { member } = await this.lookup.moderator(room, actor);
    const user = await this.lookup.member(room, username);
    if (user.id === actor.id) return this.membership.leave(room, actor);
    await this.lookup.assertMayModerate(room, actor, user, member?.role ?? 'member');
    // The membership goes first: a reconnect after room.removed finds it gone.
    if (!(await this.store.remove(room, user.id)))
      throw new NotFoundError(`${user.name} is not a member of room "${room}"`);
    await this.log.recorded({ room, user, reason: 'kicked', by: actor });
    this.channel.removed(room, user.id, 'kicked', `removed by ${actor.name}`);
  }

  /** Bans the account (and removes it if a member): every later join is refused. */
  async ban(room: string, actor: User, username: string): Promise<void> {
    const { member } = await this.lookup.moderator(room, actor);
    const user = await this.lookup.account(username);
    await this.lookup.assertMayModerate(room, actor, user, member?.role ?? 'member');
    await this.store.ban(room, user.id, actor.id);
    await this.log.recorded({ room, user, reason: 'banned', by: actor });
    this.channel.removed(room, user.id, 'banned', `banned by ${actor.name}`);
  }

  async unban(room: string, actor: User, username: string): Promise<void> {
    await this.lookup.moderator(room, actor);
    const user = await this.lookup.account(username);
    if (!(await this.store.unban(room, user.id)))
      throw new NotFoundError(`${user.name} is not banned from room "${room}"`);
  }

  /** Mutes a member for `minutes` (until unmuted without): they read, but cannot send, edit or react. */
  async mute(room: string, actor: User, username: string, minutes?: number): Promise<void> {
    const { member } = await this.lookup.moderator(room, actor);
    const user = await this.lookup.member(room, username);
    await this.lookup.assertMayModerate(room, actor, user, member?.role ?? 'member');
    const until = minutes === undefined ? FOREVER : new Date(Date.now() + minutes * 60_000).toISOString();
    await this.store.setMute(room, user.id, until);
    await this.log.recorded({ room, user, reason: 'muted', by: actor });
  }

  /** Lifts a mute: the same rules as muting (a muted moderator cannot lift their own mute). */
  async unmute(room: string, actor: User, username: string): Promise<void> {
    const { member } = await this.lookup.moderator(room, actor);
    const user = await this.lookup.member(room, username);
    await this.lookup.assertMayModerate(room, actor, user, member?.role ?? 'member');
    await this.store.setMute(room, user.id, null);
    await this.log.recorded({ room, user, reason: 'unmuted', by: actor });
  }

  /** Owners change roles (their own excepted, so that a room never loses its last owner by accident). */
  async setRole(room: string, actor: User, username: string, role: RoomRole): Promise<RoomMember> {
    await this.lookup.owner(room, actor);
    const user = await this.lookup.member(room, username);
    if (user.id === actor.id) throw new ForbiddenError('you cannot change your own role: ask another owner');
    await this.store.setRole(room, user.id, role);
    await this.log.recorded({ room, user, role, reason: 'role', ...changeBy(user, actor) });
    const record = await this.store.member(room, user.id);
    if (!record) throw new NotFoundError(`${user.name} is not a member of room "${room}"`);
    return toRoomMember(record);
  }

  /** Sets or (with '') clears the topic (owners). */
  async setTopic(room: string, actor: User, topic: string): Promise<RoomInfo> {
    await this.lookup.owner(room, actor);
    await this.rooms.setTopic(room, topic === '' ? null : topic);
    return this.membership.info(room, actor);
  }

  /** One page of members: anyone who may read the room may list them. */
  async members(room: string, viewer: User, page: { cursor?: string; limit: number }) {
    await this.lookup.readable(room, viewer);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const records = await this.store.members(room, { ...(after && { after }), limit: page.limit + 1 });
    const members = records.slice(0, page.limit);
    const last = members.at(-1);
    return {
      members: members.map(toRoomMember),
      nextCursor: records.length > page.limit && last ? encodeCursor(last.user.name, last.user.id) : null,
    };
  }
}

function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) {
      return [parsed[0] as string, parsed[1] as string];
    }
  } catch {
    // Fall through to the explanation.
  }
  throw new BadRequestError("cursor: not one this server gave; pass the previous page's nextCursor as is");
}
