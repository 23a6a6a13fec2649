import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Inject,
  Logger,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { webAppRedirect } from './web-app-redirect.js';
import { resolveWebDist } from './web-dist.js';

const WEB_APP_URL = Symbol('WEB_APP_URL');

/**
 * Serves the built SPA at `/`; every unknown non-API path gets index.html (client-side routing).
 * With `appUrl` (WEB_APP_URL) the SPA is served elsewhere, and those paths redirect there.
 */
@Module({})
export class WebModule implements NestModule {
  constructor(@Inject(WEB_APP_URL) private readonly appUrl: string | undefined) {}

  static forRoot(configuredDir: string | undefined, appUrl?: string): DynamicModule {
    const urlProvider = { provide: WEB_APP_URL, useValue: appUrl };
    if (appUrl) return { module: WebModule, providers: [urlProvider] };
    const rootPath = resolveWebDist(configuredDir);
    if (!existsSync(join(rootPath, 'index.html'))) {
      new Logger(WebModule.name).warn(`no SPA at ${rootPath}: run "npm run build" to serve the web app at /`);
    }
    return {
      module: WebModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: ['/api/{*path}', '/ws', '/healthz', '/readyz', '/metrics'],
        }),
      ],
      providers: [urlProvider],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.appUrl)
      consumer.apply(webAppRedirect(this.appUrl)).forRoutes({ path: '{/*splat}', method: RequestMethod.GET });
  }
}
