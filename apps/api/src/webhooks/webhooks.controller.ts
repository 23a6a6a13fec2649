import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { CreatedWebhook, CreateWebhookRequest, DeadLetter, WebhookEndpoint } from '@chat/contracts';
import { z } from 'zod';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { ApiKeysOnlyGuard } from '../api-keys/api-keys-only.guard.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import {
  ApiAddWebhook,
  ApiListDeadLetters,
  ApiListWebhooks,
  ApiRemoveWebhook,
  ApiRetryDeadLetter,
} from '../openapi/service-routes.openapi.js';
import { WebhooksService } from './webhooks.service.js';

const IdParam = new ZodValidationPipe(z.string().min(1).max(64));

/** Webhook endpoints and dead letters over HTTP (API keys with `webhooks:manage`); the CLI does the same. */
@Controller('api/webhooks')
@UseGuards(HttpIdentityGuard, ApiKeysOnlyGuard)
@RequiresScope('webhooks:manage')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiAddWebhook()
  add(@Body() body: CreateWebhookRequest): Promise<CreatedWebhook> {
    return this.webhooks.add(body);
  }

  @Get()
  @ApiListWebhooks()
  async list(): Promise<{ endpoints: WebhookEndpoint[] }> {
    return { endpoints: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRemoveWebhook()
  remove(@Param('id', IdParam) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Get('dead-letters')
  @ApiListDeadLetters()
  async deadLetters(): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await this.webhooks.deadLetters() };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(202)
  @ApiRetryDeadLetter()
  retry(@Param('id', IdParam) id: string): Promise<void> {
    return this.webhooks.retry(id);
  }
}
