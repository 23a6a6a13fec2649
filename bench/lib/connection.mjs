import WebSocket from 'ws';

/**
 * Frame kinds whose parsed content a scenario may wait for during setup. Everything else on the
 * hot path (message, ack) is classified without JSON.parse: the load generator shares one core
 * with thousands of clients and must not become the thing being measured. `welcome` is awaited
 * but never read, so it is not parsed either (a connection storm is thousands of them).
 */
const SETUP_KINDS = new Set(['welcome', 'joined', 'error']);
const UNREAD_KINDS = new Set(['welcome']);

/**
 * One load-generator client: a `ws` socket plus counters and hooks the scenarios fill in.
 * The hooks are plain properties (not EventEmitter listeners) because they run for every frame.
 */
export class BenchConnection {
  /** Called for every delivered chat message: (clientId, receivedAt ms, raw frame). */
  onMessage = null;
  /** Called for every ack of ours: (clientId, receivedAt). The baseline has none. */
  onAck = null;
  /** Called for every error frame of ours: (parsed error data). */
  onError = null;
  closed = false;
  /** @type {number | null} */
  closeCode = null;
  /** @type {number | null} */
  closedAt = null;

  /**
   * @param {WebSocket} ws
   * @param {(frame: Buffer) => { kind: string, clientId: string | null }} classify
   */
  constructor(ws, classify) {
    this.ws = ws;
    /** Setup frames that arrived before anyone waited for them (welcome can beat the open hook). */
    this.early = new Map();
    /** @type {Array<{ kinds: string[], resolve: (frame: any) => void }>} */
    this.waiters = [];
    ws.on('message', (data) => {
      const at = performance.now();
      const { kind, clientId } = classify(data);
      if (kind === 'message') this.onMessage?.(clientId, at, data);
      else if (kind === 'ack') this.onAck?.(clientId, at);
      else if (SETUP_KINDS.has(kind))
        this.settle(kind, UNREAD_KINDS.has(kind) ? { event: kind } : JSON.parse(data.toString('utf8')));
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      this.closedAt = performance.now();
    });
    ws.on('error', () => {}); // the close event carries what we report
  }

  /** Local TCP port: identifies this connection's socket pair in /proc/net/tcp. */
  get localPort() {
    return this.ws._socket?.localPort;
  }

  /** The server's port at the other end (tells a cluster's instances apart). */
  get remotePort() {
    return this.ws._socket?.remotePort;
  }

  settle(kind, frame) {
    if (kind === 'error') this.onError?.(frame.data);
    const index = this.waiters.findIndex((w) => w.kinds.includes(kind));
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(frame);
    else if (kind !== 'error') this.early.set(kind, frame);
  }

  /**
   * The next frame of one of `kinds` (an `error` frame also ends the wait, so callers can fail
   * with the server's own words instead of a timeout).
   * @param {string} kind
   * @param {number} timeoutMs
   */
  next(kind, timeoutMs) {
    if (this.early.has(kind)) {
      const frame = this.early.get(kind);
      this.early.delete(kind);
      return Promise.resolve(frame);
    }
    return new Promise((resolve, reject) => {
      const waiter = { kinds: [kind, 'error'], resolve: (frame) => (clearTimeout(timer), resolve(frame)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${kind} frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** @param {string} text an already serialized JSON frame */
  sendText(text) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** Stop reading: the kernel buffers fill, then the server's own queue for us grows. */
  pauseReading() {
    this.ws._socket.pause();
  }

  resumeReading() {
    this.ws._socket.resume();
  }

  /**
   * Immediate close without a handshake: teardown must not depend on the server's cooperation.
   * With a reset, not a FIN: each FIN leaves a TIME_WAIT entry for a minute, and the tens of
   * thousands a full run opens would slow every later run's connects.
   */
  terminate() {
    const socket = this.ws._socket;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
    this.ws.terminate();
  }
}

/**
 * Opens a WebSocket to 127.0.0.1 and resolves once it is open.
 * @param {string} url
 * @param {{ protocol?: string, classify: (frame: Buffer) => { kind: string, clientId: string | null },
 *   timeoutMs: number, perMessageDeflate?: boolean }} options
 * @returns {Promise<BenchConnection>}
 */
export function openConnection(url, { protocol, classify, timeoutMs, perMessageDeflate = false }) {
  if (!url.startsWith('ws://127.0.0.1:')) throw new Error(`refusing to connect outside 127.0.0.1: ${url}`);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol ? [protocol] : [], {
      // Offered only when comparing compression: otherwise neither server compresses.
      perMessageDeflate,
      skipUTF8Validation: true, // both servers are trusted here; validation is pure generator CPU
      handshakeTimeout: timeoutMs,
    });
    const connection = new BenchConnection(ws, classify);
    const fail = (error) => {
      ws.terminate();
      reject(error);
    };
    ws.once('open', () => {
      ws.off('error', fail);
      ws.off('unexpected-response', unexpected);
      resolve(connection);
    });
    const unexpected = (_request, response) =>
      fail(new Error(`HTTP ${response.statusCode} instead of an upgrade`));
    ws.once('unexpected-response', unexpected);
    ws.once('error', fail);
  });
}
