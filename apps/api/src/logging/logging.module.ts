import {
  Global,
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.schema.js';
import { loggerOptions } from './logger-options.js';
import { NestPinoLogger } from './nest-pino-logger.js';

const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * One pino logger for the whole app: `NestPinoLogger` (what `app.useLogger` gets, so every
 * `new Logger(ctx)` writes through it) and the pino-http middleware that logs each request.
 */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  static forRoot(config: AppConfig, options: Options = loggerOptions(config)): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        { provide: HTTP_LOGGER, useFactory: () => pinoHttp(options) },
        {
          provide: NestPinoLogger,
          useFactory: (http: HttpLogger) => new NestPinoLogger(http.logger),
          inject: [HTTP_LOGGER],
        },
      ],
      exports: [NestPinoLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.http).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
