import { Module, type DynamicModule } from '@nestjs/common';
import { ChatModule } from '@chat/api';
import { EchoGateway } from './echo/echo.gateway.js';
import { GreeterModule } from './greeter/greeter.module.js';
import { HelloController } from './hello/hello.controller.js';
import { CHAT_AUDIENCE, HOST_ISSUER } from './identity/host-keys.js';
import { HostIdentityModule } from './identity/host-identity.module.js';
import { ChatWebhooksModule } from './webhooks/chat-webhooks.module.js';

export interface HostSettings {
  /** Where the app listens: the chat fetches the app's JWKS from it. */
  port: number;
  /** The chat's SQLite directory (or give `databaseUrl` for PostgreSQL). */
  dataDir: string;
  databaseUrl?: string;
  /**
   * The signing secret of the webhook endpoint registered for this app's `/hooks/chat`
   * (`npm run chat -- webhook add` prints it); without one the app receives no webhooks.
   */
  webhookSecret?: string;
}

/** The host app: its own routes, gateway, users and bot, with the chat imported as one module. */
@Module({})
export class HostAppModule {
  static forRoot(settings: HostSettings): DynamicModule {
    return {
      module: HostAppModule,
      imports: [
        HostIdentityModule,
        // forRootAsync, as a host with its own config service would; forRoot takes the same object.
        ChatModule.forRootAsync({
          useFactory: () => ({
            config: {
              DATA_DIR: settings.dataDir,
              DATABASE_URL: settings.databaseUrl,
              LOG_LEVEL: 'warn',
              // The chat trusts the host's users: tokens signed by the keys the app serves.
              AUTH_JWKS_URL: `http://127.0.0.1:${settings.port}/.well-known/jwks.json`,
              AUTH_ISSUER: HOST_ISSUER,
              AUTH_AUDIENCE: CHAT_AUDIENCE,
              // Users come from the host app only (guests stay allowed, as by default).
              AUTH_LOCAL_ACCOUNTS: false,
              // The webhook receiver is this very app, on localhost: private addresses refused otherwise.
              WEBHOOK_ALLOW_PRIVATE: true,
            },
          }),
          features: [GreeterModule],
        }),
        ...(settings.webhookSecret ? [ChatWebhooksModule.forRoot(settings.webhookSecret)] : []),
      ],
      controllers: [HelloController],
      providers: [EchoGateway],
    };
  }
}
