import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RoomNameSchema } from '@chat/contracts';
import type { ClientConnection } from '../ws/client-connection.js';
import { RoomsService } from './rooms.service.js';

/**
 * On `join`: lets anyone into a room that exists, and registered users into a new one (which the
 * join then creates) within their room-creation quota. A guest asking for a room that does not
 * exist is refused with `forbidden`.
 */
@Injectable()
export class RoomAccessGuard implements CanActivate {
  constructor(private readonly rooms: RoomsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ws = context.switchToWs();
    const room = RoomNameSchema.safeParse((ws.getData() as { room?: unknown } | undefined)?.room);
    // Guards run before pipes: a malformed name is left for the validation pipe to explain.
    if (!room.success) return true;
    const connection = ws.getClient<ClientConnection>();
    await this.rooms.assertEnterable(room.data, connection.user, connection.remoteAddress);
    return true;
  }
}
