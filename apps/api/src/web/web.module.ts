import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { resolveWebDist } from './web-dist.js';

/** Serves the built SPA at `/`; every unknown non-API path gets index.html (client-side routing). */
@Module({})
export class WebModule {
  static forRoot(configuredDir: string | undefined): DynamicModule {
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
    };
  }
}
