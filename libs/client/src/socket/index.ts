export { ReconnectingSocket, type ReconnectingSocketOptions } from './reconnecting-socket.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export type { CloseInfo, HeartbeatOptions, SocketState, SocketStatus } from './types.js';
