import { Logger } from '@nestjs/common';
import type { ErrorPayload } from '@chat/contracts';
import { toErrorPayload } from '../common/errors/to-error-payload.js';
import type { ClientConnection } from './client-connection.js';

/** What the error frame says about the frame that failed, so the client knows which one. */
export interface ErrorEcho {
  event?: string;
  clientId?: string;
  room?: string;
}

const logger = new Logger('WebSocket');

/**
 * The one way from a thrown value to a client's error frame, for every path (the gateway's
 * filter, the adapter's own refusals, a post that failed in storage, a refused upgrade): the
 * same mapping (toErrorPayload), the same logging of what was not expected, the same rendering.
 * Returns the payload sent (a refused upgrade also puts it in its close reason).
 */
export function reportError(
  connection: ClientConnection,
  error: unknown,
  echo: ErrorEcho = {},
): ErrorPayload {
  const { payload, expected } = toErrorPayload(error);
  if (!expected) logger.error(error);
  const sent = { ...payload, ...echo };
  connection.fail(sent);
  return sent;
}
