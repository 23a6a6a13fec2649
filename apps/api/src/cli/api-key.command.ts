import { parseArgs } from 'node:util';
import { API_KEY_SCOPES } from '@chat/contracts';
import type { ApiKeysService } from '../api-keys/api-keys.service.js';
import { UsageError, type CliOutput } from './cli-output.js';

export const API_KEY_HELP = `npm run chat -- api-key <command>

  create --name NAME --scopes SCOPE[,SCOPE...] [--bot BOTNAME]
      Creates a key; prints it once, alone on the last line. It posts as the bot BOTNAME
      (default: NAME-bot), created if needed. Scopes: ${API_KEY_SCOPES.join(', ')}.
      messages:read and rooms:read only read (an archiver, a search bot); no write scope
      includes them: give a key that posts and reads both, e.g. messages:write,messages:read.
  list
      Every key: id, name, scopes, bot, created, revoked; never the key itself.
  revoke <id|name>
      Refused from the next request on, on every instance.`;

export async function apiKeyCommand(args: string[], keys: ApiKeysService, out: CliOutput): Promise<void> {
  const [command, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      bot: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || command === undefined || command === 'help' || command.startsWith('-'))
    return out.line(API_KEY_HELP);
  switch (command) {
    case 'create': {
      if (!values.name || !values.scopes) throw new UsageError('api-key create needs --name and --scopes');
      const { key, record } = await keys.create({
        name: values.name,
        scopes: values.scopes
          .split(',')
          .map((scope) => scope.trim())
          .filter(Boolean),
        ...(values.bot !== undefined && { bot: values.bot }),
      });
      out.line(`Created API key "${record.name}" (${record.id}), posting as the bot "${record.botName}".`);
      out.line(`Scopes: ${record.scopes.join(', ')}`);
      out.line(
        'This is the only time the key is shown; keep it secret (send it as Authorization: Bearer <key>):',
      );
      out.line(key);
      return;
    }
    case 'list': {
      const all = await keys.list();
      if (all.length === 0) return out.line('No API keys.');
      for (const key of all) {
        const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt}`;
        out.line(
          `${key.id}  ${key.name}  …${key.hint}  [${key.scopes.join(',')}]  bot=${key.botName}  created ${key.createdAt}  ${state}`,
        );
      }
      return;
    }
    case 'revoke': {
      const target = positionals[0];
      if (!target) throw new UsageError('api-key revoke needs the id or name of a key');
      const key = await keys.revoke(target);
      out.line(`Revoked API key "${key.name}" (${key.id}).`);
      return;
    }
    default:
      throw new UsageError(`unknown api-key command "${command}"`);
  }
}
