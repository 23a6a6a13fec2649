import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { ClientConnection } from './client-connection.js';

/** The identity of the connection a frame came from (use behind {@link WsIdentityGuard}). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): User => context.switchToWs().getClient<ClientConnection>().user,
);
