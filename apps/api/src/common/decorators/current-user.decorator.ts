import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { ChatConnection } from '../../ws/chat-connection.js';

/** The identity of the connection a frame came from (use behind {@link WsIdentityGuard}). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): User => context.switchToWs().getClient<ChatConnection>().user,
);
