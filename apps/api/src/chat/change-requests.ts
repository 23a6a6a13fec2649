import { Injectable } from '@nestjs/common';
import type { Delete, Edit, React } from '@chat/contracts';
import { NotAMemberError } from '../common/errors/chat-errors.js';
import { ChatCore } from '../core/chat-core.js';
import type { ChangeInput, ChangeSender } from '../core/changes/change-input.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { reportError } from '../ws/report-error.js';
import { RoomRegistry } from './room-registry.js';
import { UnackedSends } from './unacked-sends.js';

/**
 * A connection's `edit`, `delete` and `react`, through the core as every door changes messages,
 * inside the connection's window of unacked writes (shared with its sends): the rules are
 * awaited (order), the append runs in the background, the `ack` goes out once it is durable.
 */
@Injectable()
export class ChangeRequests {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly core: ChatCore,
    private readonly unacked: UnackedSends,
  ) {}

  edit(client: ClientConnection, { room, id, text, clientId }: Edit): Promise<void> {
    return this.change(client, { kind: 'edit', room, id, text, clientId, user: client.user });
  }

  delete(client: ClientConnection, { room, id, clientId }: Delete): Promise<void> {
    return this.change(client, { kind: 'delete', room, id, clientId, user: client.user });
  }

  react(client: ClientConnection, { room, id, emoji, on, clientId }: React): Promise<void> {
    return this.change(client, { kind: 'react', room, id, emoji, on, clientId, user: client.user });
  }

  private async change(client: ClientConnection, input: ChangeInput & { clientId: string }): Promise<void> {
    if (!this.registry.isMember(input.room, client)) throw new NotAMemberError(input.room);
    const window = this.unacked.window;
    await window.admit(client);
    const sender = this.senderFor(client, input);
    const accepted = await this.core.acceptChange(input, sender);
    if (accepted.swallowed) return;
    window.opened(client);
    this.core.commitChange(accepted.draft, sender);
  }

  private senderFor(client: ClientConnection, input: ChangeInput & { clientId: string }): ChangeSender {
    const { room, clientId } = input;
    const window = this.unacked.window;
    return {
      ip: client.remoteAddress,
      replied: (replies, swallowed) => {
        for (const text of replies) client.notice({ room, text, clientId });
        // Nothing is logged, so no ack will come: settle the pending change another way.
        if (swallowed && replies.length === 0) client.notice({ room, text: '', clientId });
      },
      stored: ({ change, time }) => {
        client.ack({ clientId, id: input.id, seq: change.data.seq, room, time });
        window.settled(client);
      },
      failed: (error) => {
        reportError(client, error, { event: input.kind, room, clientId });
        window.settled(client);
      },
    };
  }
}
