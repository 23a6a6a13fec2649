import type { Random } from './random.js';

/** One fuzz case: what to put on the wire, and how it is sent. */
export type FuzzFrame =
  | { kind: 'text'; data: string; label: string }
  | { kind: 'bytes-as-text'; data: Buffer; label: string }
  | { kind: 'binary'; data: Buffer; label: string }
  | { kind: 'fragmented'; parts: string[]; label: string };

const EVENTS = ['join', 'leave', 'send', 'history', 'typing', 'ping', 'simple:message', 'welcome', 'x', ''];

/** Strings that have broken parsers, databases and renderers before. */
const NASTY_STRINGS = [
  '',
  ' ',
  'general',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b\u200d\ufeff',
  'e\u0301\u0301\u0301\u0301\u0301',
  '😀'.repeat(50),
  "'; DROP TABLE messages; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  '%00%0d%0a',
  '\r\n\r\nHTTP/1.1 200 OK',
  'x'.repeat(5000),
  'constructor',
  '__proto__',
  'toString',
];

const NASTY_NUMBERS = [0, -0, -1, 1.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE, 4294967296];

function randomScalar(random: Random): unknown {
  switch (random.int(6)) {
    case 0:
      return random.pick(NASTY_STRINGS);
    case 1:
      return random.pick(NASTY_NUMBERS);
    case 2:
      return random.chance(0.5);
    case 3:
      return null;
    case 4:
      return String.fromCharCode(...Array.from({ length: random.int(20) }, () => random.int(0xffff)));
    default:
      return random.int(1000);
  }
}

function randomValue(random: Random, depth: number): unknown {
  if (depth <= 0 || random.chance(0.4)) return randomScalar(random);
  if (random.chance(0.5)) return Array.from({ length: random.int(4) }, () => randomValue(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = random.int(5); i > 0; i--) {
    const key = random.chance(0.3)
      ? random.pick([
          '__proto__',
          'constructor',
          'prototype',
          'room',
          'text',
          'clientId',
          'since',
          'event',
          'data',
        ])
      : String(randomScalar(random)).slice(0, 20);
    // JSON.parse makes "__proto__" an own key; build the object the same way.
    Object.defineProperty(object, key, {
      value: randomValue(random, depth - 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return object;
}

function plausibleData(random: Random): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (random.chance(0.8)) data.room = random.chance(0.6) ? 'general' : randomScalar(random);
  if (random.chance(0.7)) data.text = random.chance(0.5) ? 'hello' : randomScalar(random);
  if (random.chance(0.7)) data.clientId = random.chance(0.5) ? `c${random.int(1e6)}` : randomScalar(random);
  if (random.chance(0.3)) data.since = random.pick(NASTY_NUMBERS);
  if (random.chance(0.3)) data.before = random.pick(NASTY_NUMBERS);
  if (random.chance(0.3)) data.limit = random.pick(NASTY_NUMBERS);
  if (random.chance(0.2))
    Object.defineProperty(data, '__proto__', {
      value: { room: 'x' },
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return data;
}

function mutate(random: Random, text: string): string {
  let out = text;
  for (let i = 1 + random.int(4); i > 0; i--) {
    const at = random.int(out.length + 1);
    switch (random.int(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1);
        break;
      case 1:
        out =
          out.slice(0, at) +
          random.pick(['"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', 'é']) +
          out.slice(at);
        break;
      case 2:
        out = out.slice(0, at);
        break;
      default:
        out = out + out.slice(0, at);
    }
  }
  return out;
}

/** The next fuzz case. Roughly a third are near-valid envelopes, which reach the handlers. */
export function nextFrame(random: Random, maxFrameBytes: number): FuzzFrame {
  const envelope = () => JSON.stringify({ event: random.pick(EVENTS), data: plausibleData(random) });
  switch (random.int(12)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { kind: 'text', data: envelope(), label: 'near-valid envelope' };
    case 4:
      return {
        kind: 'text',
        data: JSON.stringify(randomValue(random, 4)) ?? 'undefined',
        label: 'random JSON',
      };
    case 5:
      return { kind: 'text', data: mutate(random, envelope()), label: 'mutated envelope' };
    case 6: {
      const depth = 1 + random.int(Math.floor(maxFrameBytes / 2) - 1);
      const open = random.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      return { kind: 'text', data: open.repeat(depth) + '1' + close.repeat(depth), label: 'deep nesting' };
    }
    case 7:
      return {
        kind: 'bytes-as-text',
        data: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
        label: 'invalid UTF-8',
      };
    case 8:
      return { kind: 'binary', data: Buffer.from(envelope()), label: 'binary frame' };
    case 9: {
      const whole = envelope();
      const cut = 1 + random.int(Math.max(1, whole.length - 1));
      return {
        kind: 'fragmented',
        parts: [whole.slice(0, cut), whole.slice(cut)],
        label: 'fragmented frame',
      };
    }
    case 10:
      return {
        kind: 'text',
        data: 'x'.repeat(maxFrameBytes + 1 + random.int(1000)),
        label: 'oversized frame',
      };
    default:
      return {
        kind: 'text',
        data: `{"event":"send","data":{"room":"general","text":${random.pick(['1e999', '-1e999', '[]', '{}', '"\\ud800"', 'null'])},"clientId":"n"}}`,
        label: 'odd literal',
      };
  }
}
