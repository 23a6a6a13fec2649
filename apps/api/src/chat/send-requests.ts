import { Injectable } from '@nestjs/common';
import { DEFAULT_ROOM, type Send, type SimpleIn, type User } from '@chat/contracts';
import { NotAMemberError } from '../common/errors/chat-errors.js';
import { ChatCore } from '../core/chat-core.js';
import type { PostInput, PostSender } from '../core/post-outcome.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { reportError } from '../ws/report-error.js';
import { GuestNames } from './guest-names.js';
import { RoomRegistry } from './room-registry.js';
import type { SendWindow } from './send-window.js';
import { UnackedSends } from './unacked-sends.js';

/**
 * A connection's `send` (and a simple-protocol client's message), through the core as every
 * door posts, inside the connection's window of unacked writes (shared with its changes).
 */
@Injectable()
export class SendRequests {
  /** Per client: messages accepted but not yet acknowledged. */
  private readonly unacked: SendWindow<ClientConnection>;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly core: ChatCore,
    private readonly guestNames: GuestNames,
    unacked: UnackedSends,
  ) {
    this.unacked = unacked.window;
  }

  /**
   * Queues the message for storage and returns: the connection's next frame can be handled while
   * this one commits (stores keep the order of appends, and commit them in groups). Once the
   * message is durable, the sender gets its `ack` and the room gets the message.
   */
  async send(
    client: ClientConnection,
    { room, text, clientId, replyTo, threadId, attachments }: Send,
  ): Promise<void> {
    if (!this.registry.isMember(room, client)) throw new NotAMemberError(room);
    const input: PostInput = { room, text, clientId, user: client.user };
    if (replyTo !== undefined) input.replyTo = replyTo;
    if (threadId !== undefined) input.threadId = threadId;
    if (attachments !== undefined) input.attachments = attachments;
    await this.post(client, input);
  }

  /**
   * A message from a simple-protocol client: always room `general`. A guest names itself per
   * message; a signed-in account always posts as its username (the token fixes the name).
   */
  async sendSimple(client: ClientConnection, { name, message: text }: SimpleIn): Promise<void> {
    await this.post(client, { room: DEFAULT_ROOM, text, user: this.simpleAuthor(client, name) });
  }

  /** Who a simple-protocol message is from: the one place that decides its name. */
  private simpleAuthor(client: ClientConnection, name: string): User {
    return client.user.guest ? { ...client.user, name } : client.user;
  }

  /**
   * Through the core, as every door posts, inside this connection's window of unacked sends:
   * the core's first half is awaited (order), its second runs in the background.
   */
  private async post(client: ClientConnection, input: PostInput): Promise<void> {
    await this.unacked.admit(client);
    const sender = this.senderFor(client, input);
    const accepted = await this.core.accept(input, sender);
    if (accepted.swallowed) return;
    this.unacked.opened(client);
    this.core.commit(accepted.draft, sender);
  }

  private senderFor(client: ClientConnection, { room, clientId }: PostInput): PostSender {
    return {
      ip: client.remoteAddress,
      replied: (replies, swallowed) => {
        for (const text of replies) client.notice({ room, text, clientId });
        // Nothing is stored, so no ack will come: settle the sender's pending message another way.
        if (swallowed && replies.length === 0) client.notice({ room, text: '', clientId });
      },
      rename: (name) => this.guestNames.rename(client, name),
      stored: ({ message }) => {
        // Without a clientId (the simple protocol) there is no pending send to settle.
        if (clientId !== undefined)
          client.ack({ clientId, id: message.id, seq: message.seq, room, time: message.time });
        this.unacked.settled(client);
      },
      failed: (error) => {
        reportError(client, error, { event: 'send', room, ...(clientId && { clientId }) });
        this.unacked.settled(client);
      },
    };
  }
}
