import { Module, type DynamicModule } from '@nestjs/common';
import { CHAT_WEBHOOK_SECRET, ChatWebhooksController } from './chat-webhooks.controller.js';
import { ReceivedEvents } from './received-events.js';

/** The host app's receiver of the chat's webhooks, given the endpoint's signing secret. */
@Module({})
export class ChatWebhooksModule {
  static forRoot(secret: string): DynamicModule {
    return {
      module: ChatWebhooksModule,
      controllers: [ChatWebhooksController],
      providers: [{ provide: CHAT_WEBHOOK_SECRET, useValue: secret }, ReceivedEvents],
      exports: [ReceivedEvents],
    };
  }
}
