import type { INestApplication } from '@nestjs/common';
import type { RoomRole, User } from '@chat/contracts';
import { ROOM_PERMISSIONS, type RoomPermissions } from '../../apps/api/src/core/access/room-permissions.js';
import { ForbiddenError } from '../../apps/api/src/common/errors/chat-errors.js';

/**
 * A RoomPermissions a test controls: who is muted, who moderates. Until membership lands, the app
 * binds an open default; this double takes over that binding's instance (the one object ChatCore
 * and its helpers were given), so the core's questions reach the test's answers.
 */
export class RoomPermissionsDouble implements RoomPermissions {
  readonly muted = new Set<string>();
  readonly roles = new Map<string, RoomRole>();

  assertCanWrite(room: string, user: User): Promise<void> {
    if (this.muted.has(user.id)) return Promise.reject(new ForbiddenError(`you are muted in room "${room}"`));
    return Promise.resolve();
  }

  roleOf(_room: string, user: User): Promise<RoomRole | null> {
    return Promise.resolve(this.roles.get(user.id) ?? 'member');
  }
}

/** Puts `double`'s answers behind the app's ROOM_PERMISSIONS binding. */
export function bindRoomPermissions(app: INestApplication, double: RoomPermissionsDouble): void {
  const bound = app.get<RoomPermissions>(ROOM_PERMISSIONS);
  bound.assertCanWrite = (room, user) => double.assertCanWrite(room, user);
  bound.roleOf = (room, user) => double.roleOf(room, user);
}
