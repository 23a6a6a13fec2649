/** @chat/client/react: the client as React hooks (a thin layer over the framework-free package). */
export { useWebSocket, type UseWebSocketOptions, type UseWebSocketResult } from './useWebSocket.js';
export { usePacedSends, type PacedSends } from './usePacedSends.js';
export { useRoomJoins, type RoomJoins } from './useRoomJoins.js';
