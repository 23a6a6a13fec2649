import {
  Injectable,
  NotFoundException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { AppConfigService } from '../config/app-config.service.js';
import { isLocalRequest, metricsVerdict } from './metrics-access.js';

/** /metrics on the main port: see {@link metricsVerdict} for who may read it. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfigService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const verdict = metricsVerdict(
      { token: this.config.get('METRICS_TOKEN'), ownPort: this.config.get('METRICS_PORT') !== undefined },
      'main',
      request.headers.authorization,
      // Behind a trusted proxy the client's address; a proxy's headers otherwise mean "not local".
      isLocalRequest(request) ? request.ip : undefined,
    );
    if (verdict.ok) return true;
    throw verdict.status === 401
      ? new UnauthorizedException(verdict.message)
      : new NotFoundException(verdict.message);
  }
}
