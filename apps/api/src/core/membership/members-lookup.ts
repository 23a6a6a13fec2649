import { Inject, Injectable } from '@nestjs/common';
import type { RoomRole, User } from '@chat/contracts';
import { ForbiddenError, NotFoundError } from '../../common/errors/chat-errors.js';
import { MEMBERSHIP_STORE, type MembershipStore, type RoomAccess } from '../../storage/membership-store.js';
import { USER_STORE, type UserStore } from '../../storage/user-store.js';
import { MembershipPermissions } from './membership-permissions.js';

/** Owners and moderators moderate; owners also change roles and the topic. */
const MODERATORS: readonly RoomRole[] = ['owner', 'moderator'];

/** Finds the people a membership call names, and checks the caller's standing: the rules' common part. */
@Injectable()
export class MembersLookup {
  constructor(
    @Inject(USER_STORE) private readonly users: UserStore,
    @Inject(MEMBERSHIP_STORE) private readonly store: MembershipStore,
    private readonly permissions: MembershipPermissions,
  ) {}

  /**
   * The account named `username`. Guests are not stored and their names are not unique, so only
   * accounts can be named.
   */
  async account(username: string): Promise<User> {
    const stored = await this.users.findByUsername(username);
    if (!stored) throw new NotFoundError(`there is no account named "${username}" (guests cannot be named)`);
    return { id: stored.id, name: stored.username, guest: false, ...(stored.bot && { bot: true }) };
  }

  /** The account named `username` if it is a member of `room` (its stored name and flags). */
  async member(room: string, username: string): Promise<User> {
    const user = await this.account(username);
    const record = await this.store.member(room, user.id);
    if (!record) throw new NotFoundError(`${user.name} is not a member of room "${room}"`);
    return record.user;
  }

  /** The caller's access, when they may read the room; throws as every door does otherwise. */
  readable(room: string, actor: User): Promise<RoomAccess> {
    return this.permissions.readable(room, actor);
  }

  /** Throws unless the caller is an owner or moderator of the room (a non-member of a private room sees nothing). */
  async moderator(room: string, actor: User): Promise<RoomAccess> {
    const access = await this.readable(room, actor);
    if (!access.member || !MODERATORS.includes(access.member.role)) {
      throw new ForbiddenError(`only an owner or moderator of room "${room}" can do that`);
    }
    return access;
  }

  async owner(room: string, actor: User): Promise<RoomAccess> {
    const access = await this.readable(room, actor);
    if (access.member?.role !== 'owner')
      throw new ForbiddenError(`only an owner of room "${room}" can do that`);
    return access;
  }

  /** A moderator may act on members and other moderators, never on an owner; nobody on themself. */
  async assertMayModerate(room: string, actor: User, target: User, actorRole: RoomRole): Promise<void> {
    if (target.id === actor.id) throw new ForbiddenError('you cannot do that to yourself');
    const targetRole = (await this.store.member(room, target.id))?.role;
    if (targetRole === 'owner' && actorRole !== 'owner') {
      throw new ForbiddenError(`${target.name} is an owner of room "${room}": only an owner can do that`);
    }
  }
}
