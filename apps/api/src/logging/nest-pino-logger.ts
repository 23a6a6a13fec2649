import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's start-up chatter: one line per module, controller and route. Useful when debugging the
 * wiring, noise on every start (`npm start` should print the URL and little else), so it is
 * logged at debug: `LOG_LEVEL=debug` shows it again.
 */
const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/**
 * Nest's `LoggerService` over pino: `new Logger('Ctx').log(...)` anywhere in the app becomes one
 * structured line with `context`. An object as the message is merged into the line (how the
 * gateway logs `connection opened` with its fields); an Error becomes `err`.
 *
 * Ours rather than nestjs-pino's because that package's current versions declare Node >= 22.12,
 * and the project runs on Node 20 (README): this is the part of it the app used.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    // Nest passes the logger's context as the last argument.
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (level === 'info' && context !== undefined && BOOT_CONTEXTS.has(context)) level = 'debug';
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message });
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n')) {
      // Nest's exception handlers call error(message, stack, context).
      const err = new Error(String(message));
      err.stack = rest[0];
      this.pino.error({ ...fields, err });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
