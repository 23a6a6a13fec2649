import { Catch, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import { ROOM_NAME_PATTERN } from '@chat/contracts';
import type { ClientConnection } from './client-connection.js';
import { reportError } from './report-error.js';
import { SIMPLE_PROTOCOL_EVENT } from './wire-protocol.js';

/** Turns anything a gateway handler, guard or pipe throws into an `error` frame for that client. */
@Catch()
export class WsErrorFilter implements WsExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const event = ws.getPattern();
    reportError(ws.getClient<ClientConnection>(), exception, {
      ...(event !== SIMPLE_PROTOCOL_EVENT && { event }),
      ...echoed(ws.getData()),
    });
  }
}

/**
 * Echoes the failed frame's clientId and room (when they look sane), so the client knows which
 * pending message, or which join, failed.
 */
function echoed(data: unknown): { clientId?: string; room?: string } {
  if (typeof data !== 'object' || data === null) return {};
  const { clientId, room } = data as { clientId?: unknown; room?: unknown };
  return {
    ...(typeof clientId === 'string' && clientId.length <= 64 && { clientId }),
    ...(typeof room === 'string' && ROOM_NAME_PATTERN.test(room) && { room }),
  };
}
