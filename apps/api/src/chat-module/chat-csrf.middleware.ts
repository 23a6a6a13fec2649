import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfigService } from '../config/app-config.service.js';
import { csrfProtection } from '../web/csrf-protection.js';
import { originAllowList } from '../web/origins.js';

/**
 * The CSRF check of cookie-borne sessions on the chat's own controllers, applied by ChatModule
 * itself: a host app that imports the module and never calls `protectChatHttp` still gets it.
 * It runs after the body parsers (Nest applies a module's middleware after them), so a forged
 * form is read before it is refused; `protectChatHttp` refuses it unread, and the request it
 * passed is not checked twice.
 */
@Injectable()
export class ChatCsrfMiddleware implements NestMiddleware {
  private readonly check: ReturnType<typeof csrfProtection>;

  constructor(config: AppConfigService) {
    this.check = csrfProtection(originAllowList(config.all), config.get('AUTH_COOKIE_NAME'));
  }

  use(request: Request, response: Response, next: NextFunction): void {
    this.check(request, response, next);
  }
}
