import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { RoomChange } from '@chat/contracts';
import { BUS, type Bus } from '../../bus/bus.js';
import { BadRequestError, ClientIdReusedError, TooLargeError } from '../../common/errors/chat-errors.js';
import { AppConfigService } from '../../config/app-config.service.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { Quotas } from '../../quotas/quotas.js';
import { sameChange } from '../../storage/log-entries.js';
import { MESSAGE_STORE, type ChangeDraft, type MessageStore } from '../../storage/message-store.js';
import { ROOM_PERMISSIONS, type RoomPermissions } from '../access/room-permissions.js';
import {
  MessageDeletedEvent,
  MessageEditedEvent,
  ReactionChangedEvent,
} from '../events/message-changed.events.js';
import { MessagePostingEvent } from '../events/message-posting.event.js';
import { PostingHooks } from '../hooks/posting-hooks.js';
import { ChatPolicies } from '../policies/chat-policies.js';
import type { AcceptedChange, ChangeInput, ChangeSender } from './change-input.js';
import { assertAllowed, deletedMessage, noSuchMessage } from './change-rules.js';

/** An edit is no command: a hook that tries to rename its sender is refused, as for a module's post. */
function refuseRename(): never {
  throw new BadRequestError('an edit cannot rename its sender: send /nick as a new message');
}

/**
 * Edits, deletes and reactions, for ChatCore: the same two halves as a post. `accept` applies the
 * rules (policies, who may, posting hooks for edits, the send quota); `commit` logs the change in
 * the store's queue (after this connection's earlier sends), answers the sender, fans it out.
 */
@Injectable()
export class MessageChanges {
  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(ROOM_PERMISSIONS) private readonly permissions: RoomPermissions,
    private readonly config: AppConfigService,
    private readonly events: EventEmitter2,
    private readonly metrics: MetricsService,
    private readonly quotas: Quotas,
    private readonly policies: ChatPolicies,
    private readonly hooks: PostingHooks,
  ) {}

  async accept(input: ChangeInput, sender: ChangeSender): Promise<AcceptedChange> {
    const { room, id, user } = input;
    await this.policies.enforce(
      input.kind === 'edit'
        ? { kind: 'edit', room, user, id, text: input.text }
        : input.kind === 'react'
          ? { kind: 'react', room, user, id, emoji: input.emoji, on: input.on }
          : { kind: 'delete', room, user, id },
    );
    // Whose message it is and where it lives never change: safe to check before the queue.
    // Whether it is deleted does: the store checks that when it applies the change.
    const target = await this.store.findMessage(id);
    if (!target || target.room !== room) throw noSuchMessage(room, id);
    await assertAllowed(input, target, user, this.permissions);
    const clientId = input.clientId ?? randomUUID();
    let replies: readonly string[] = [];
    let draft: ChangeDraft;
    if (input.kind === 'edit') {
      const posting = new MessagePostingEvent(room, user, input.text, clientId, refuseRename, id);
      await this.hooks.run(posting);
      sender.replied(posting.replies, posting.swallowed);
      if (posting.swallowed) return { swallowed: true, replies: posting.replies };
      replies = posting.replies;
      this.checkLength(posting.text);
      draft = { type: 'edit', room, user, clientId, id, text: posting.text };
    } else if (input.kind === 'react') {
      draft = { type: 'react', room, user, clientId, id, emoji: input.emoji, on: input.on };
    } else {
      draft = { type: 'delete', room, user, clientId, id };
    }
    await this.takeQuota(user.id, sender.ip, input.clientId);
    return { swallowed: false, replies, draft };
  }

  /** Logs the change; resolves once the sender was answered (for ChatCore's in-flight tracking). */
  async commit(draft: ChangeDraft, sender: ChangeSender): Promise<void> {
    try {
      const result = await this.store.appendChange(draft);
      if (result.status === 'not_found') throw noSuchMessage(draft.room, draft.id);
      if (result.status === 'deleted') throw deletedMessage(draft.id);
      if (result.status === 'client_id_used') throw new ClientIdReusedError(draft.clientId, result.room);
      const duplicate = result.status === 'duplicate';
      // The clientId's change was another one (another message, another kind): nothing was done here.
      if (duplicate && !sameChange(result.change, draft)) {
        throw new ClientIdReusedError(
          draft.clientId,
          result.change.data.room,
          'another edit, delete or reaction',
        );
      }
      sender.stored({ change: result.change, time: result.time, duplicate });
      if (!duplicate) this.published(draft, result.change);
    } catch (error) {
      sender.failed(error);
    }
  }

  private checkLength(text: string): void {
    const max = this.config.get('MAX_TEXT_LENGTH');
    // Characters are code points; the cheap UTF-16 length is an upper bound on their number.
    if (text.length > max) {
      const length = [...text].length;
      if (length > max) throw new TooLargeError(`text is ${length} characters; the limit is ${max}`);
    }
  }

  /** Changes count against the send quota like messages; a replay (a known clientId) costs nothing. */
  private async takeQuota(userId: string, ip: string | undefined, clientId?: string): Promise<void> {
    try {
      await this.quotas.sends.take({ userId, ip });
    } catch (error) {
      const replay = clientId !== undefined && (await this.store.isClientIdUsed(userId, clientId));
      if (!replay) throw error;
    }
  }

  private published(draft: ChangeDraft, change: RoomChange): void {
    this.metrics.changesReceived.inc({ kind: draft.type });
    this.bus.publish({ type: 'change', change });
    if (change.event === 'message.edited') {
      this.events.emit(MessageEditedEvent.eventName, new MessageEditedEvent(change.data));
    } else if (change.event === 'message.deleted') {
      this.events.emit(MessageDeletedEvent.eventName, new MessageDeletedEvent(change.data));
    } else if (change.event === 'reaction') {
      this.events.emit(ReactionChangedEvent.eventName, new ReactionChangedEvent(change.data));
    }
  }
}
