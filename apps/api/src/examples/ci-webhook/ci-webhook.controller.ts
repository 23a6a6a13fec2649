import type { ChatMessage } from '@chat/contracts';
import { Body, Controller, Headers, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { BotAccounts } from '../../bots/bot-accounts.js';
import { ZodValidationPipe } from '../../common/pipes/zod-validation.pipe.js';
import { ChatCore } from '../../core/index.js';
import { CiSecretGuard } from './ci-secret.guard.js';
import {
  CI_BOT_NAME,
  CiNotificationSchema,
  IdempotencyKeySchema,
  type CiNotification,
} from './ci-notification.js';

/**
 * `POST /api/hooks/ci/:room {text}`: a CI job's notification, posted into the room by the bot
 * `ci-bot` through ChatCore, so it is validated, stored, seq'd and fanned out like any message
 * (and refused the same way: 404 for an unknown room, 413 for a long text, 403 from a policy).
 * 201 with the message; 200 with the stored one when `Idempotency-Key` was used before.
 */
/**
 * A notification is text, never a command: `/kick bob` from a CI job must not run as the bot.
 * `//` is the chat's escape for a literal `/` (docs/protocol.md).
 */
function literal(text: string): string {
  return text.replace(/^(\s*)\//, '$1//');
}

@Controller('api/hooks/ci')
@UseGuards(CiSecretGuard)
export class CiWebhookController {
  constructor(
    private readonly core: ChatCore,
    private readonly bots: BotAccounts,
  ) {}

  @Post(':room')
  async notify(
    @Param('room') room: string,
    @Body(new ZodValidationPipe(CiNotificationSchema)) body: CiNotification,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ message: ChatMessage } | { replies: readonly string[] }> {
    const clientId = new ZodValidationPipe(IdempotencyKeySchema).transform(idempotencyKey);
    const user = await this.bots.ensure(CI_BOT_NAME);
    const outcome = await this.core.post({
      room,
      text: literal(body.text),
      user,
      ...(clientId !== undefined && { clientId }),
    });
    // Another module's posting hook took it: nothing was stored.
    if (outcome.swallowed) {
      response.status(202);
      return { replies: outcome.replies };
    }
    response.status(outcome.duplicate ? 200 : 201);
    return { message: outcome.message };
  }
}
