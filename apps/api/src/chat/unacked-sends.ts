import { Injectable } from '@nestjs/common';
import type { ClientConnection } from '../ws/client-connection.js';
import { SendWindow } from './send-window.js';

/** Sends (and changes) one connection may have waiting for storage; its next one waits for an ack (see SendWindow). */
export const MAX_UNACKED_SENDS = 256;

/** The one window of unacked writes per connection, shared by sends and changes (ChatService, ChangeRequests). */
@Injectable()
export class UnackedSends {
  readonly window = new SendWindow<ClientConnection>(MAX_UNACKED_SENDS);
}
