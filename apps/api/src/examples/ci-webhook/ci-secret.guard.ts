import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { NotFoundError, UnauthorizedError } from '../../common/errors/chat-errors.js';
import { AppConfigService } from '../../config/app-config.service.js';

export const CI_SECRET_HEADER = 'x-ci-secret';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The shared secret (CI_WEBHOOK_SECRET) in `X-CI-Secret`, compared in constant time (digests of
 * equal length, so neither the secret's content nor its length leaks through timing). Runs
 * before the body is validated: a caller without the secret learns nothing about the endpoint.
 */
@Injectable()
export class CiSecretGuard implements CanActivate {
  private readonly secret: Buffer | undefined;

  constructor(config: AppConfigService) {
    const secret = config.get('CI_WEBHOOK_SECRET');
    this.secret = secret === undefined ? undefined : digest(secret);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.secret) throw new NotFoundError('the CI webhook is off: set CI_WEBHOOK_SECRET to turn it on');
    const given = context.switchToHttp().getRequest<Request>().header(CI_SECRET_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), this.secret)) {
      throw new UnauthorizedError('missing or wrong X-CI-Secret header: send the value of CI_WEBHOOK_SECRET');
    }
    return true;
  }
}
