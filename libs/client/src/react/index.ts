/** @chat/client/react: the client as React hooks (a thin layer over the framework-free package). */
export { useChat, type ChatActions, type ChatConnection, type UseChatResult } from './useChat.js';
export { useChatSession, type UseChatSessionOptions } from './useChatSession.js';
export { useWebSocket, type UseWebSocketOptions, type UseWebSocketResult } from './useWebSocket.js';
