import {
  PROTOCOL_V1,
  type ClientEventMap,
  type ClientEventName,
  type ServerEventMap,
  type ServerEventName,
} from '@chat/contracts';
import WebSocket from 'ws';

export const DEFAULT_TIMEOUT_MS = 3000;

export interface ConnectOptions {
  /** Guest name (?name=). */
  name?: string;
  /** Subprotocols to offer; default chat.v1. Pass [] for the simple protocol. */
  protocols?: string[];
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra query parameters. */
  query?: Record<string, string>;
  /** The local address to connect from, e.g. 127.0.0.2 (another client IP on Linux loopback). */
  localAddress?: string;
}

type Inbox = { event: string; data: unknown }[];

/** A real `ws` client with an inbox: tests await the frames they expect instead of sleeping. */
export class TestClient {
  private readonly inbox: Inbox = [];
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw, isBinary) => {
      const text = raw.toString();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { event: '<unparseable>', data: text };
      }
      // Simple-protocol frames have no event: file them under "simple".
      const frame = isEnvelope(parsed) ? parsed : { event: 'simple', data: parsed };
      this.inbox.push(isBinary ? { event: '<binary>', data: raw } : frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters) wake();
      }),
    );
  }

  static connect(baseWsUrl: string, options: ConnectOptions = {}): Promise<TestClient> {
    const url = new URL(baseWsUrl);
    if (options.name !== undefined) url.searchParams.set('name', options.name);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const protocols = options.protocols ?? [PROTOCOL_V1];
    const headers = {
      ...options.headers,
      ...(options.token && { Authorization: `Bearer ${options.token}` }),
    };
    const socket = new WebSocket(url, protocols, { headers, localAddress: options.localAddress });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
      );
    });
  }

  /** Connects with chat.v1, takes the welcome and joins a room. */
  static async joined(
    baseWsUrl: string,
    room = 'general',
    options: ConnectOptions = {},
  ): Promise<TestClient> {
    return (await TestClient.joinedWith(baseWsUrl, room, options)).client;
  }

  /**
   * {@link joined}, also returning the `joined` frame: its `lastSeq` is where the room's log
   * stood (membership entries take seqs too, so a fresh room's first message is rarely seq 1).
   */
  static async joinedWith(
    baseWsUrl: string,
    room = 'general',
    options: ConnectOptions = {},
  ): Promise<{ client: TestClient; joined: ServerEventMap['joined'] }> {
    const client = await TestClient.connect(baseWsUrl, options);
    await client.next('welcome');
    client.send('join', { room });
    const joined = await client.next('joined', (data) => data.room === room);
    return { client, joined };
  }

  send<E extends ClientEventName>(event: E, data: ClientEventMap[E]): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== 'string' });
  }

  /** Resolves with (and removes from the inbox) the first frame of `event` that matches. */
  next<E extends ServerEventName>(
    event: E,
    match?: (data: ServerEventMap[E]) => boolean,
    timeoutMs?: number,
  ): Promise<ServerEventMap[E]>;
  next(
    event: 'simple',
    match?: (data: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  next(
    event: string,
    match: (data: never) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.inbox.findIndex(
          (f) => f.event === event && (match as (d: unknown) => boolean)(f.data),
        );
        if (index >= 0) {
          done();
          resolve(this.inbox.splice(index, 1)[0]!.data);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed while waiting for "${event}"; inbox: ${this.describeInbox()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no "${event}" frame within ${timeoutMs} ms; inbox: ${this.describeInbox()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves with (and removes from the inbox) the oldest frame, whatever its event: for reducers that need arrival order. */
  nextFrame(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ event: string; data: unknown }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.inbox.length > 0) {
          done();
          resolve(this.inbox.shift()!);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error('socket closed while waiting for a frame'));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Collects `count` frames of `event`, in arrival order. */
  async take<E extends ServerEventName>(
    event: E,
    count: number,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<ServerEventMap[E][]> {
    const frames: ServerEventMap[E][] = [];
    for (let i = 0; i < count; i++) frames.push(await this.next(event, undefined, timeoutMs));
    return frames;
  }

  /** Frames received and not yet taken. */
  pending(event?: string): unknown[] {
    return this.inbox.filter((f) => event === undefined || f.event === event).map((f) => f.data);
  }

  /** Closes politely; a peer that does not answer within a second (a stalled test) is cut off. */
  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000);
      const timer = setTimeout(() => this.socket.terminate(), 1000);
      void this.closed.then(() => clearTimeout(timer));
    }
    return this.closed;
  }

  private describeInbox(): string {
    return JSON.stringify(this.inbox.map((f) => f.event));
  }
}

function isEnvelope(value: unknown): value is { event: string; data: unknown } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string'
  );
}

/** Closes every client, ignoring ones already closed. */
export async function closeAll(clients: (TestClient | undefined)[]): Promise<void> {
  await Promise.all(clients.map((client) => client?.close()));
}
