import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@chat/contracts';
import type { AuthenticatedRequest } from './http-identity.guard.js';

/** The user of an HTTP request (use behind HttpIdentityGuard). */
export const RequestUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): User | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
