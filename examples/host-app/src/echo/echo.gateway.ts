import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

/**
 * The host app's own WebSocket gateway, on its own path. The chat's adapter serves it as Nest's
 * WsAdapter would: no chat authentication, limits or welcome frame.
 */
@WebSocketGateway({ path: '/host-ws' })
export class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): { event: 'echo'; data: unknown } {
    return { event: 'echo', data };
  }
}
