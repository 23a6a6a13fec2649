import { ServerFrameSchema, type ServerFrame } from '@chat/contracts';
import WebSocket from 'ws';
import type { FuzzFrame } from './frame-generators.js';

/** What became of one fuzz frame: what the server answered before our next ping, or a close. */
export type Outcome = { kind: 'answered'; answers: ServerFrame[] } | { kind: 'closed'; code: number };

/** What every fuzzer saw, for the report and the assertions. */
export interface FuzzStats {
  sent: number;
  answers: number;
  outcomes: { answered: number; closed: number };
  closes: Map<number, number>;
  labels: Map<string, number>;
  internalErrors: string[];
  invalidAnswers: string[];
}

export function emptyStats(): FuzzStats {
  return {
    sent: 0,
    answers: 0,
    outcomes: { answered: 0, closed: 0 },
    closes: new Map(),
    labels: new Map(),
    internalErrors: [],
    invalidAnswers: [],
  };
}

/** How long one frame may go without its outcome: only a hung server takes this long. */
const OUTCOME_TIMEOUT_MS = 15_000;

interface Exchange {
  t: number;
  answers: ServerFrame[];
  resolve: (outcome: Outcome) => void;
}

/**
 * A raw socket that sends fuzz frames one at a time, each followed by an app-level `ping` with a
 * fresh `t`. Frames of one connection are handled in order, so that `pong` marks the end of the
 * frame's answers: each frame's outcome is known exactly, however slow the machine, instead of
 * counting answers that happen to have arrived when the run ends. Every answer is validated
 * against the contracts. A closed connection is replaced, and fuzzing goes on.
 */
export class Fuzzer {
  private socket!: WebSocket;
  /** True once the current socket has joined `general` (its own ping answered); false if it closed first. */
  private ready!: Promise<boolean>;
  private exchange: Exchange | undefined;
  private nextT = 1;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly stats: FuzzStats,
  ) {
    this.open();
  }

  private open(): void {
    const socket = new WebSocket(this.url, ['chat.v1']);
    this.socket = socket;
    let settleReady: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (settleReady = resolve));
    socket.on('error', () => undefined);
    socket.once('open', () => {
      socket.send(JSON.stringify({ event: 'join', data: { room: 'general' } }));
      socket.send(JSON.stringify({ event: 'ping', data: { t: 0 } }));
    });
    socket.on('message', (raw, isBinary) => {
      const frame = this.check(raw.toString(), isBinary);
      if (frame?.event === 'pong' && frame.data.t === 0) settleReady(true);
      const exchange = this.exchange;
      if (!exchange || !frame) return;
      if (frame.event === 'pong' && frame.data.t === exchange.t) {
        this.exchange = undefined;
        exchange.resolve({ kind: 'answered', answers: exchange.answers });
      } else {
        exchange.answers.push(frame);
      }
    });
    socket.once('close', (code) => {
      settleReady(false);
      if (this.stopped) return;
      this.stats.closes.set(code, (this.stats.closes.get(code) ?? 0) + 1);
      const exchange = this.exchange;
      this.exchange = undefined;
      this.open(); // keep fuzzing on a fresh connection
      exchange?.resolve({ kind: 'closed', code });
    });
  }

  /** Counts and validates one server frame; returns it parsed, or null when it breaks the contract. */
  private check(text: string, isBinary: boolean): ServerFrame | null {
    this.stats.answers++;
    const parsed = isBinary ? null : ServerFrameSchema.safeParse(safeJson(text));
    if (!parsed?.success) {
      this.stats.invalidAnswers.push(text.slice(0, 200));
      return null;
    }
    if (parsed.data.event === 'error' && parsed.data.data.code === 'internal') {
      this.stats.internalErrors.push(text.slice(0, 300));
    }
    return parsed.data;
  }

  /** Sends one frame on a connection that has joined, and resolves with what became of it. */
  async send(frame: FuzzFrame): Promise<Outcome> {
    // The previous frame may have got the connection closed: wait for a replacement that works.
    for (let attempt = 0; !(await this.ready); attempt++) {
      if (attempt === 100) throw new Error('the server stopped accepting connections');
    }
    this.stats.sent++;
    this.stats.labels.set(frame.label, (this.stats.labels.get(frame.label) ?? 0) + 1);
    const t = this.nextT++;
    const outcome = new Promise<Outcome>((resolve) => (this.exchange = { t, answers: [], resolve }));
    this.write(frame);
    this.socket.send(JSON.stringify({ event: 'ping', data: { t } }));
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer and no close ${OUTCOME_TIMEOUT_MS} ms after a "${frame.label}"`)),
        OUTCOME_TIMEOUT_MS,
      );
      void outcome.finally(() => clearTimeout(timer));
    });
    const result = await Promise.race([outcome, timeout]);
    if (result.kind === 'answered') this.stats.outcomes.answered++;
    else this.stats.outcomes.closed++;
    return result;
  }

  private write(frame: FuzzFrame): void {
    switch (frame.kind) {
      case 'text':
        this.socket.send(frame.data);
        break;
      case 'bytes-as-text':
        this.socket.send(frame.data, { binary: false });
        break;
      case 'binary':
        this.socket.send(frame.data, { binary: true });
        break;
      case 'fragmented':
        frame.parts.forEach((part, index) =>
          this.socket.send(part, { fin: index === frame.parts.length - 1 }),
        );
        break;
    }
  }

  close(): void {
    this.stopped = true;
    this.socket.terminate();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
