import { parseArgs } from 'node:util';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@chat/contracts';
import type { WebhooksService } from '../webhooks/webhooks.service.js';
import { UsageError, type CliOutput } from './cli-output.js';

export const WEBHOOK_HELP = `npm run chat -- webhook <command>

  add --url URL [--events TYPE[,TYPE...]]
      Adds an endpoint; prints its signing secret (whsec_...) once, alone on the last line.
      Events (default: all): ${WEBHOOK_EVENT_TYPES.join(', ')}. Delivery starts with the next
      event of each room (no history).
  list
      Every endpoint: id, url, events.
  remove <id>
      Removes the endpoint, its delivery state and its dead letters.
  dead-letters
      Events given up on after WEBHOOK_MAX_ATTEMPTS, oldest first.
  retry <dead-letter-id>
      Queues a dead letter for another round of attempts (by a running server).`;

export async function webhookCommand(
  args: string[],
  webhooks: WebhooksService,
  out: CliOutput,
): Promise<void> {
  const [command, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || command === undefined || command === 'help' || command.startsWith('-'))
    return out.line(WEBHOOK_HELP);
  switch (command) {
    case 'add': {
      if (!values.url) throw new UsageError('webhook add needs --url');
      const events = values.events
        ?.split(',')
        .map((event) => event.trim())
        .filter(Boolean) as WebhookEventType[] | undefined;
      const { endpoint, secret } = await webhooks.add({ url: values.url, ...(events && { events }) });
      out.line(
        `Added webhook ${endpoint.id} -> ${endpoint.url} (events: ${endpoint.events.join(', ') || 'all'}).`,
      );
      out.line('Its signing secret, shown only now (verify the webhook-signature header with it):');
      out.line(secret);
      return;
    }
    case 'list': {
      const all = await webhooks.list();
      if (all.length === 0) return out.line('No webhook endpoints.');
      for (const e of all)
        out.line(`${e.id}  ${e.url}  events=${e.events.join(',') || 'all'}  created ${e.createdAt}`);
      return;
    }
    case 'remove': {
      const id = positionals[0];
      if (!id) throw new UsageError('webhook remove needs the id of an endpoint');
      await webhooks.remove(id);
      out.line(`Removed webhook ${id}.`);
      return;
    }
    case 'dead-letters': {
      const letters = await webhooks.deadLetters();
      if (letters.length === 0) return out.line('No dead letters.');
      for (const l of letters) {
        out.line(
          `${l.id}  ${l.state}  endpoint=${l.endpointId}  ${l.room}#${l.seq}  ${l.type}  attempts=${l.attempts}  ${l.lastError}`,
        );
      }
      return;
    }
    case 'retry': {
      const id = positionals[0];
      if (!id) throw new UsageError('webhook retry needs the id of a dead letter');
      await webhooks.retry(id);
      out.line(`Queued dead letter ${id} for another round of attempts.`);
      return;
    }
    default:
      throw new UsageError(`unknown webhook command "${command}"`);
  }
}
