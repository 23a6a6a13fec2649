import { NestFactory } from '@nestjs/core';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { ChatError } from '../common/errors/chat-errors.js';
import type { AppConfig } from '../config/app-config.schema.js';
import { ConfigError } from '../config/load-config.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { apiKeyCommand, API_KEY_HELP } from './api-key.command.js';
import { CliModule } from './cli.module.js';
import { UsageError, type CliOutput } from './cli-output.js';
import { webhookCommand, WEBHOOK_HELP } from './webhook.command.js';

export const HELP = `npm run chat -- <area> <command> [options]   (reads the same env/.env as the server)

${API_KEY_HELP}

${WEBHOOK_HELP}`;

/** Runs one CLI command against the configured database; resolves with the exit code. */
export async function runCli(args: string[], loadConfig: () => AppConfig, out: CliOutput): Promise<number> {
  const [area, ...rest] = args;
  if (area === undefined || area === '--help' || area === '-h' || area === 'help') {
    out.line(HELP);
    return 0;
  }
  if (area !== 'api-key' && area !== 'webhook') {
    out.error(`unknown command "${area}"\n\n${HELP}`);
    return 2;
  }
  try {
    const config = loadConfig();
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    try {
      if (area === 'api-key') await apiKeyCommand(rest, app.get(ApiKeysService), out);
      else await webhookCommand(rest, app.get(WebhooksService), out);
    } finally {
      await app.close();
    }
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      out.error(`${error.message}\n\n${area === 'api-key' ? API_KEY_HELP : WEBHOOK_HELP}`);
      return 2;
    }
    if (error instanceof ChatError || error instanceof ConfigError) {
      out.error(error.message);
      return 1;
    }
    out.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
