import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { GIVEN_TOKEN_VERIFIER } from '../auth/external-token-verifier.js';
import { BotsModule } from '../bots/bots.module.js';
import { GIVEN_BUS } from '../bus/bus.js';
import { ChatGatewayModule } from '../chat/chat-gateway.module.js';
import { SlashCommandsModule } from '../commands/slash-commands.module.js';
import { HttpErrorFilter } from '../common/filters/http-error.filter.js';
import { AppConfigService } from '../config/app-config.service.js';
import { resolveConfig } from '../config/load-config.js';
import { HealthModule } from '../health/health.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { SearchModule } from '../search/search.module.js';
import { GIVEN_STORAGE_ENGINE } from '../storage/storage-engine.js';
import { UsersModule } from '../users/users.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ChatCsrfCheck, ChatCsrfMiddleware } from './chat-csrf.middleware.js';
import { controllersOf } from './chat-controllers.js';
import {
  CHAT_MODULE_OPTIONS,
  ConfigurableChatModule,
  type CHAT_ASYNC_OPTIONS_TYPE,
  type CHAT_OPTIONS_TYPE,
  type ChatModuleOptions,
} from './chat-module.definition.js';

/**
 * The chat's own feature modules: their controllers are the chat's HTTP API. A function, read
 * when the module is built, so no import cycle can leave one of them undefined here.
 */
const chatFeatures = () => [
  MetricsModule,
  AuthModule,
  ApiKeysModule,
  BotsModule,
  RoomsModule,
  UsersModule,
  WebhooksModule,
  SearchModule,
  ChatGatewayModule,
  AttachmentsModule,
  HealthModule,
  SlashCommandsModule,
];

/** What the options choose, under the tokens the chat's own modules look for. */
const fromOptions: Provider[] = [
  {
    provide: AppConfigService,
    inject: [CHAT_MODULE_OPTIONS],
    useFactory: (options: ChatModuleOptions) => new AppConfigService(resolveConfig(options.config)),
  },
  {
    provide: GIVEN_STORAGE_ENGINE,
    inject: [CHAT_MODULE_OPTIONS],
    useFactory: (o: ChatModuleOptions) => o.storage,
  },
  { provide: GIVEN_BUS, inject: [CHAT_MODULE_OPTIONS], useFactory: (o: ChatModuleOptions) => o.bus },
  {
    provide: GIVEN_TOKEN_VERIFIER,
    inject: [CHAT_MODULE_OPTIONS],
    useFactory: (o: ChatModuleOptions) => o.identity,
  },
];

/**
 * The whole chat as one module to import: accounts and tokens, rooms and membership, the
 * WebSocket gateway, the HTTP API, health, metrics, slash commands and the core API. Global, so
 * that the host's modules (and the chat's own) see its configuration. Serve its WebSocket with
 * `attachChatTransport(app)`; the SPA is not part of it (the chat's own app adds WebModule).
 * Its routes carry their own CSRF check of cookie sessions, whether or not the host calls
 * `protectChatHttp` (which adds it, before the body parsers, to every route of the app).
 */
@Module({})
export class ChatModule extends ConfigurableChatModule implements NestModule {
  static override forRoot(options: typeof CHAT_OPTIONS_TYPE = {}): DynamicModule {
    return withTheChat(super.forRoot(options));
  }

  static override forRootAsync(options: typeof CHAT_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withTheChat(super.forRootAsync(options));
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ChatCsrfMiddleware).forRoutes(...controllersOf(chatFeatures()));
  }
}

function withTheChat(definition: DynamicModule): DynamicModule {
  return {
    ...definition,
    global: true,
    imports: [EventEmitterModule.forRoot(), ...chatFeatures(), ...(definition.imports ?? [])],
    providers: [
      ...(definition.providers ?? []),
      ...fromOptions,
      ChatCsrfCheck,
      // Every HTTP error answers `{code, message}` (Nest's own exceptions keep their status).
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
    exports: [
      AppConfigService,
      CHAT_MODULE_OPTIONS,
      GIVEN_STORAGE_ENGINE,
      GIVEN_BUS,
      GIVEN_TOKEN_VERIFIER,
      // A host's own code creates API keys and webhook endpoints through these (docs/embedding.md).
      ApiKeysModule,
      WebhooksModule,
    ],
  };
}
