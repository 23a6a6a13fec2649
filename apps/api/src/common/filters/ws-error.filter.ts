import { Catch, Logger, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import type { ChatConnection } from '../../ws/chat-connection.js';
import { SIMPLE_PROTOCOL_EVENT } from '../../ws/wire-protocol.js';
import { toErrorPayload } from '../errors/to-error-payload.js';

/** Turns anything a gateway handler, guard or pipe throws into an `error` frame for that client. */
@Catch()
export class WsErrorFilter implements WsExceptionFilter {
  private readonly logger = new Logger(WsErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = ws.getClient<ChatConnection>();
    const event = ws.getPattern();
    const { payload, expected } = toErrorPayload(exception);
    if (!expected) this.logger.error(exception);
    connection.sendError({
      ...payload,
      ...(event !== SIMPLE_PROTOCOL_EVENT && { event }),
      ...clientIdOf(ws.getData()),
    });
  }
}

/** Echoes a failed `send`'s clientId so the client knows which pending message failed. */
function clientIdOf(data: unknown): { clientId?: string } {
  if (typeof data === 'object' && data !== null && 'clientId' in data) {
    const { clientId } = data;
    if (typeof clientId === 'string' && clientId.length <= 64) return { clientId };
  }
  return {};
}
