/**
 * Cheap classification of incoming frames by looking at bytes instead of JSON.parse. At 100k+
 * frames per second on one core, parsing every frame would make the load generator the
 * bottleneck and both servers would seem equally fast.
 *
 * This relies on the servers' field order ("event" first; "clientId" before "text"). So that a
 * change of order cannot silently corrupt the counts, the first frames of every run are also
 * parsed properly and compared (see `checked`).
 */

const EVENT_PREFIX = Buffer.from('{"event":"');
const CLIENT_ID_KEY = Buffer.from('"clientId":"');
const QUOTE = 0x22;
/** Frames per process checked against JSON.parse before the fast path is trusted alone. */
const CHECK_FIRST = 200;
let checkedFrames = 0;

/** Extracts the clientId string value, or null when the key is absent. */
function clientIdIn(frame, from) {
  const at = frame.indexOf(CLIENT_ID_KEY, from);
  if (at < 0) return null;
  const start = at + CLIENT_ID_KEY.length;
  return frame.toString('latin1', start, frame.indexOf(QUOTE, start));
}

/**
 * Our server, protocol chat.v1: `{"event":"<name>","data":{...}}`. Kind is the event name.
 * @param {Buffer} frame
 */
export function classifyOurs(frame) {
  const result = fastOurs(frame);
  return checkedFrames < CHECK_FIRST ? checked(frame, result, (parsed) => parsed.data?.clientId) : result;
}

function fastOurs(frame) {
  if (
    frame.length < EVENT_PREFIX.length ||
    frame.compare(EVENT_PREFIX, 0, EVENT_PREFIX.length, 0, EVENT_PREFIX.length) !== 0
  ) {
    const parsed = JSON.parse(frame.toString('utf8'));
    return { kind: String(parsed.event), clientId: parsed.data?.clientId ?? null };
  }
  const end = frame.indexOf(QUOTE, EVENT_PREFIX.length);
  const kind = frame.toString('latin1', EVENT_PREFIX.length, end);
  if (kind !== 'message' && kind !== 'ack') return { kind, clientId: null };
  return { kind, clientId: clientIdIn(frame, end) };
}

/**
 * The baseline broadcasts back the object we sent, `{"clientId":...,"text":...}` plus `time`,
 * so every frame is a delivery.
 * @param {Buffer} frame
 */
export function classifyBaseline(frame) {
  const result = { kind: 'message', clientId: clientIdIn(frame, 0) };
  return checkedFrames < CHECK_FIRST ? checked(frame, result, (parsed) => parsed.clientId) : result;
}

function checked(frame, result, clientIdOf) {
  checkedFrames++;
  const parsed = JSON.parse(frame.toString('utf8'));
  const expectedKind = parsed.event ?? 'message';
  const expectedId = result.kind === 'message' || result.kind === 'ack' ? (clientIdOf(parsed) ?? null) : null;
  if (result.kind !== expectedKind || result.clientId !== expectedId) {
    throw new Error(
      `frame classifier disagrees with JSON.parse (${result.kind}/${result.clientId} vs ${expectedKind}/${expectedId}); ` +
        `the server's field order changed: update bench/lib/frame-classifiers.mjs`,
    );
  }
  return result;
}
