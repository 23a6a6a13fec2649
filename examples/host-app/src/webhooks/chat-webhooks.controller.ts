import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import type { Request } from 'express';
import { Webhook } from 'standardwebhooks';
import { ReceivedEvents, type ReceivedEvent } from './received-events.js';

/** The signing secret `npm run chat -- webhook add` printed (`whsec_...`). */
export const CHAT_WEBHOOK_SECRET = Symbol('CHAT_WEBHOOK_SECRET');

/**
 * The chat's webhooks arrive here (registered with `webhook add --url .../hooks/chat`). The
 * signature is checked over the raw bytes (the app is created with `rawBody: true`): the parsed
 * and re-serialized JSON would not match what was signed.
 */
@Controller('hooks')
export class ChatWebhooksController {
  private readonly webhook: Webhook;

  constructor(
    @Inject(CHAT_WEBHOOK_SECRET) secret: string,
    private readonly received: ReceivedEvents,
  ) {
    this.webhook = new Webhook(secret);
  }

  @Post('chat')
  @HttpCode(204)
  receive(@Req() request: RawBodyRequest<Request>): void {
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    let event: Omit<ReceivedEvent, 'webhookId'>;
    try {
      // Throws on a bad or missing signature and on a timestamp more than 5 minutes off.
      event = this.webhook.verify(request.rawBody ?? '', headers) as Omit<ReceivedEvent, 'webhookId'>;
    } catch (error) {
      throw new UnauthorizedException(`webhook refused: ${(error as Error).message}`);
    }
    // A 2xx for a duplicate too: the chat must move on, the app just does not act twice.
    this.received.accept({ ...event, webhookId: headers['webhook-id'] });
  }
}
