import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CreateWebhookRequestSchema,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type DeadLetter,
  type WebhookEndpoint,
} from '@chat/contracts';
import { NotFoundError } from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { WEBHOOK_STORE, type StoredWebhookEndpoint, type WebhookStore } from '../storage/webhook-store.js';
import { checkWebhookUrl } from './webhook-url.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';

const DEAD_LETTERS_PAGE = 500;

function shown({ secret: _secret, ...endpoint }: StoredWebhookEndpoint): WebhookEndpoint {
  return endpoint;
}

/** Webhook endpoints and dead letters, for the CLI and the HTTP API alike. */
@Injectable()
export class WebhooksService {
  private readonly allowPrivate: boolean;

  constructor(
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    config: AppConfigService,
  ) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE');
  }

  /** Adds an endpoint; the answer holds its signing secret, which is never shown again. */
  async add(request: CreateWebhookRequest): Promise<CreatedWebhook> {
    const { url, events = [] } = new ZodValidationPipe(CreateWebhookRequestSchema).transform(request);
    const checked = await checkWebhookUrl(url, this.allowPrivate);
    // Standard Webhooks' format: whsec_ and the base64 of the key (32 bytes).
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const endpoint: StoredWebhookEndpoint = {
      id: `wh_${randomUUID()}`,
      url: checked.toString(),
      secret,
      events: [...new Set(events)],
      enabled: true,
      createdAt: new Date().toISOString(),
    };
    await this.store.addEndpoint(endpoint);
    return { endpoint: shown(endpoint), secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.store.listEndpoints()).map(shown);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.store.removeEndpoint(id)))
      throw new NotFoundError(`no webhook endpoint has the id "${id}": see webhook list`);
  }

  deadLetters(): Promise<DeadLetter[]> {
    return this.store.listDeadLetters(DEAD_LETTERS_PAGE);
  }

  async retry(id: string): Promise<void> {
    if (!(await this.store.retryDeadLetter(id, Date.now()))) {
      throw new NotFoundError(`no dead letter has the id "${id}": see webhook dead-letters`);
    }
  }
}
