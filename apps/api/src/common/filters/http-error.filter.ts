import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ErrorCode, HttpError } from '@chat/contracts';
import type { Response } from 'express';
import { HTTP_STATUS_BY_CODE, toErrorPayload } from '../errors/to-error-payload.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Every HTTP error answers with the same body, `{code, message}`, as WebSocket error frames do. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    let status: number;
    let body: HttpError;
    if (exception instanceof HttpException && isHealthReport(exception.getResponse())) {
      // Terminus reports which dependency is down: probes and operators want that detail.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException) {
      // Nest's own (unknown route, body parser errors): keep the status, use our shape.
      status = exception.getStatus();
      body = {
        code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request'),
        message: exception.message,
      };
    } else {
      const { payload, expected } = toErrorPayload(exception);
      if (!expected) this.logger.error(exception);
      status = HTTP_STATUS_BY_CODE[payload.code];
      body = { code: payload.code, message: payload.message };
      if (payload.retryAfterMs !== undefined) {
        body.retryAfterMs = payload.retryAfterMs;
        // Whoever refused may have set it already (the sign-in throttle does).
        if (!response.getHeader('Retry-After')) {
          response.setHeader('Retry-After', String(Math.max(1, Math.ceil(payload.retryAfterMs / 1000))));
        }
      }
    }
    response.status(status).json(body);
  }
}

function isHealthReport(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && 'details' in body;
}
