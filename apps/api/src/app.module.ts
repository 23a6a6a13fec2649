import { Module, type DynamicModule } from '@nestjs/common';
import { ChatModule } from './chat/chat.module.js';
import type { AppConfig } from './config/app-config.schema.js';
import { ConfigModule } from './config/config.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), ChatModule, WebModule.forRoot(config.WEB_DIST_DIR)],
    };
  }
}
