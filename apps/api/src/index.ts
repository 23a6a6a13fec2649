// The public entry point of @chat/api (docs/embedding.md): what a host app imports. It starts
// nothing; `dist/main.js` is the stand-alone server.

// The module and its transport.
export { ChatModule } from './chat-module/chat.module.js';
export {
  CHAT_MODULE_OPTIONS,
  type ChatModuleExtras,
  type ChatModuleOptions,
} from './chat-module/chat-module.definition.js';
export {
  attachChatTransport,
  DEFAULT_CHAT_PATH,
  protectChatHttp,
  type ChatTransportOptions,
} from './chat-module/chat-transport.js';

// Configuration.
export type { AppConfig, ConfigKey } from './config/app-config.schema.js';
export { AppConfigService } from './config/app-config.service.js';
export { ConfigError, loadConfig, resolveConfig, type EnvSource } from './config/load-config.js';

// Identity: the host app's users.
export type { ExternalIdentity, ExternalTokenVerifier } from './auth/external-token-verifier.js';
export { ChatIdentity, HOST_GUEST_PREFIX, HOST_USER_PREFIX, isHostUserId } from './auth/chat-identity.js';
export { JoseTokenVerifier } from './auth/jose-token-verifier.js';
export { AuthModule } from './auth/auth.module.js';

// Services for the host's own code: API keys (service accounts) and webhook endpoints, the same
// as `npm run chat -- api-key ...` and `webhook ...` do.
export { ApiKeysService, type ApiKeyIdentity } from './api-keys/api-keys.service.js';
export { WebhooksService } from './webhooks/webhooks.service.js';

// Ports an embedder may implement.
export type { StorageEngine } from './storage/storage-engine.js';
export type { MessageStore } from './storage/message-store.js';
export type { UserStore, StoredUser } from './storage/user-store.js';
export type { RoomStore } from './storage/room-store.js';
export type { MembershipStore } from './storage/membership-store.js';
export { WriteHealth } from './storage/write-health.js';
export type { Bus, BusEvent, BusListener } from './bus/bus.js';

// Extension points for feature modules (docs/extending.md).
export * from './core/index.js';
export { BotAccounts } from './bots/bot-accounts.js';
export { BotsModule } from './bots/bots.module.js';
export {
  SlashCommand,
  type CommandContext,
  type SlashCommandHandler,
  type SlashCommandOptions,
} from './commands/slash-command.js';
export { defineClusterEvent, type ClusterEvent } from './cluster-events/cluster-event.js';
export {
  ClusterEvents,
  type ClusterEventHandler,
  type EventOrigin,
} from './cluster-events/cluster-events.js';
export { ClusterEventsModule } from './cluster-events/cluster-events.module.js';
export * from './common/errors/chat-errors.js';

// The shapes of the wire (the whole set is the package @chat/contracts).
export type { ChatMessage, User } from '@chat/contracts';

// The chat's own server, built from the pieces above.
export { createApp, type AppOptions } from './app.factory.js';
