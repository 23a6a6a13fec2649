import { CLIENT_EVENT_NAMES, isClientEventName, PROTOCOL_V1 } from '@chat/contracts';
import { SIMPLE_PROTOCOL_EVENT, type WireProtocol } from './wire-protocol.js';

export type ParsedFrame =
  { ok: true; event: string; data: unknown } | { ok: false; message: string; event?: string };

const EXAMPLE = '{"event":"send","data":{"room":"general","text":"hi","clientId":"c1"}}';

/**
 * Turns one text frame into the handler name and its raw payload, or into a message that
 * tells the sender what to fix. Payloads are validated later, by each handler's pipe.
 */
export function parseFrame(text: string, protocol: WireProtocol): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unparseable';
    return { ok: false, message: `invalid JSON (${reason}); frames are JSON objects such as ${EXAMPLE}` };
  }
  if (protocol !== PROTOCOL_V1) {
    return { ok: true, event: SIMPLE_PROTOCOL_EVENT, data: value };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: `a frame must be a JSON object {"event", "data"}, such as ${EXAMPLE}` };
  }
  const { event, data } = value as { event?: unknown; data?: unknown };
  if (typeof event !== 'string') {
    return { ok: false, message: `"event" must be a string naming one of: ${CLIENT_EVENT_NAMES.join(', ')}` };
  }
  if (!isClientEventName(event)) {
    return {
      ok: false,
      event: event.slice(0, 64),
      message: `unknown event "${event.slice(0, 64)}"; known events: ${CLIENT_EVENT_NAMES.join(', ')}`,
    };
  }
  // A missing payload is read as an empty one, so `{"event":"ping"}` works as expected.
  return { ok: true, event, data: data ?? {} };
}
