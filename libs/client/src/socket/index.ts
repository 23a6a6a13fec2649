export { ReconnectingSocket, type ReconnectingSocketOptions } from './reconnecting-socket.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { browserSignals, NO_SIGNALS, type NetworkSignals } from './network-signals.js';
export type { CloseInfo, HeartbeatOptions, SocketState, SocketStatus } from './types.js';
export type { CreateSocket, WebSocketConstructor, WebSocketLike } from './websocket-like.js';
