import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfigService } from '../config/app-config.service.js';
import { csrfProtection } from '../web/csrf-protection.js';
import { originAllowList } from '../web/origins.js';

/**
 * The chat's one CSRF check of cookie-borne sessions, built once per app from its configuration.
 * ChatModule's middleware and `protectChatHttp` install this same check, so a request it passed
 * in the latter is not checked again in the former, and no other check's pass can stand in for it.
 */
@Injectable()
export class ChatCsrfCheck {
  readonly middleware: ReturnType<typeof csrfProtection>;

  constructor(config: AppConfigService) {
    this.middleware = csrfProtection(originAllowList(config.all), config.get('AUTH_COOKIE_NAME'));
  }
}

/**
 * The CSRF check on the chat's own controllers, applied by ChatModule itself: a host app that
 * imports the module and never calls `protectChatHttp` still gets it. It runs after the body
 * parsers (Nest applies a module's middleware after them), so a forged form is read before it is
 * refused; `protectChatHttp` refuses it unread, and the request it passed is not checked twice.
 */
@Injectable()
export class ChatCsrfMiddleware implements NestMiddleware {
  constructor(private readonly check: ChatCsrfCheck) {}

  use(request: Request, response: Response, next: NextFunction): void {
    this.check.middleware(request, response, next);
  }
}
