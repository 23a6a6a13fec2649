import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  MAX_ATTACHMENTS,
  MessageTextSchema,
  RoomNameSchema,
  type ChatMessage,
  type MemberEvent,
} from '@chat/contracts';
import { BUS, type Bus } from '../bus/bus.js';
import {
  BadRequestError,
  ClientIdReusedError,
  NotFoundError,
  TooLargeError,
} from '../common/errors/chat-errors.js';
import { AppConfigService } from '../config/app-config.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Quotas } from '../quotas/quotas.js';
import {
  MESSAGE_STORE,
  type ChangeDraft,
  type MemberEventDraft,
  type MessageDraft,
  type MessageStore,
} from '../storage/message-store.js';
import { ROOM_STORE, type RoomStore } from '../storage/room-store.js';
import { ROOM_PERMISSIONS, type RoomPermissions } from './access/room-permissions.js';
import { MentionResolver } from './membership/mention-resolver.js';
import { MembershipLog } from './membership/membership-log.js';
import { UserChannel } from './membership/user-channel.js';
import { MEMBERSHIP_STORE, type MembershipStore } from '../storage/membership-store.js';
import { MessagePostingEvent } from './events/message-posting.event.js';
import { MessageStoredEvent } from './events/message-stored.event.js';
import { PostingHooks } from './hooks/posting-hooks.js';
import { ChatPolicies } from './policies/chat-policies.js';
import type { PostInput, PostOutcome, PostSender, PostSwallowed } from './post-outcome.js';
import type { AcceptedChange, ChangeInput, ChangeOutcome, ChangeSender } from './changes/change-input.js';
import { checkChangeInput } from './changes/change-rules.js';
import { MessageChanges } from './changes/message-changes.js';
import { checkReplyTargets } from './changes/reply-targets.js';
import { AttachmentClaims } from './attachments/attachment-claims.js';

/** What {@link ChatCore.accept} decided: swallowed by a hook, or this draft is to be stored. */
export type Accepted = PostSwallowed | { swallowed: false; replies: readonly string[]; draft: MessageDraft };

/** A post from a module: no connection to answer (replies come back in the outcome). */
const FROM_THE_SERVER: PostSender = {
  replied: () => undefined,
  rename: () => {
    throw new BadRequestError('only a connected client can be renamed; this message came from the server');
  },
  stored: () => undefined,
  failed: () => undefined,
};

/** A change from a module: as {@link FROM_THE_SERVER}. */
const CHANGE_FROM_THE_SERVER: ChangeSender = {
  replied: () => undefined,
  stored: () => undefined,
  failed: () => undefined,
};

/**
 * The chat's one API, for every door alike: the WebSocket transport, HTTP controllers and any
 * module (bots, webhooks, moderation). It knows nothing of sockets: a transport reaches its
 * sender through {@link PostSender}, and room members through the bus.
 */
@Injectable()
export class ChatCore {
  private readonly logger = new Logger(ChatCore.name);
  /** Posts accepted but not yet stored and answered, for shutdown to wait on. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(ROOM_STORE) private readonly rooms: RoomStore,
    private readonly config: AppConfigService,
    private readonly events: EventEmitter2,
    private readonly metrics: MetricsService,
    private readonly quotas: Quotas,
    private readonly policies: ChatPolicies,
    private readonly hooks: PostingHooks,
    private readonly changes: MessageChanges,
    // Membership (issue 14): who may write, whom a message mentions, and the mentioned users' channel.
    @Inject(ROOM_PERMISSIONS) private readonly permissions: RoomPermissions,
    private readonly mentions: MentionResolver,
    private readonly channel: UserChannel,
    @Inject(MEMBERSHIP_STORE) private readonly members: MembershipStore,
    private readonly membershipLog: MembershipLog,
    private readonly attachments: AttachmentClaims,
  ) {}

  /**
   * Posts a message exactly as a socket's `send` does: validation, policies, posting hooks, send
   * quota, durable append (idempotent on user + clientId), fan-out to every instance, metrics and
   * MessageStoredEvent. Resolves once stored; throws the chat's domain errors.
   */
  post(input: PostInput): Promise<PostOutcome> {
    return this.track(this.postFromServer(input));
  }

  /**
   * Edits, deletes or reacts to a message exactly as a socket's `edit`, `delete` and `react` do:
   * validation, policies, who may (RoomPermissions), posting hooks for an edit, send quota,
   * durable append to the room's log (idempotent on user + clientId), fan-out, metrics and the
   * domain event (MessageEditedEvent, MessageDeletedEvent, ReactionChangedEvent). Resolves once
   * logged; throws the chat's domain errors (not_found for an unknown or deleted message).
   */
  change(input: ChangeInput): Promise<ChangeOutcome> {
    return this.track(this.changeFromServer(input));
  }

  /** {@link change} with `kind: 'edit'`: replaces the text of the user's own message. */
  edit(input: Omit<Extract<ChangeInput, { kind: 'edit' }>, 'kind'>): Promise<ChangeOutcome> {
    return this.change({ ...input, kind: 'edit' });
  }

  /** {@link change} with `kind: 'delete'`: the author's, or anyone's for an owner or moderator. */
  delete(input: Omit<Extract<ChangeInput, { kind: 'delete' }>, 'kind'>): Promise<ChangeOutcome> {
    return this.change({ ...input, kind: 'delete' });
  }

  /** {@link change} with `kind: 'react'`: puts (`on`) or takes back one emoji. */
  react(input: Omit<Extract<ChangeInput, { kind: 'react' }>, 'kind'>): Promise<ChangeOutcome> {
    return this.change({ ...input, kind: 'react' });
  }

  /**
   * Logs a membership change as an entry of the room's log (its own seq), and fans it out as a
   * `member` event to the room on every instance. For the membership feature, after its own write.
   */
  async logMemberEvent(draft: MemberEventDraft): Promise<MemberEvent> {
    return this.track(this.membershipLog.recorded(draft));
  }

  /** The first half of a change, for transports (see {@link accept}). */
  acceptChange(input: ChangeInput, sender: ChangeSender): Promise<AcceptedChange> {
    return this.changes.accept(input, sender);
  }

  /** The second half, for transports: logs in the background, answers the sender, fans out. */
  commitChange(draft: ChangeDraft, sender: ChangeSender): void {
    void this.track(this.changes.commit(draft, sender));
  }

  private async changeFromServer(input: ChangeInput): Promise<ChangeOutcome> {
    checkChangeInput(input);
    const accepted = await this.changes.accept(input, CHANGE_FROM_THE_SERVER);
    if (accepted.swallowed) return accepted;
    return new Promise<ChangeOutcome>((resolve, reject) => {
      void this.changes.commit(accepted.draft, {
        ...CHANGE_FROM_THE_SERVER,
        stored: (result) => resolve({ swallowed: false, ...result, replies: accepted.replies }),
        failed: reject,
      });
    });
  }

  /** Tracked from the start: work still passing its policies when shutdown begins is waited for too. */
  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return work;
  }

  private async postFromServer(input: PostInput): Promise<PostOutcome> {
    // A socket is in the room it sends to; a module names any room, so it must exist.
    const room = RoomNameSchema.safeParse(input.room);
    if (!room.success) throw new BadRequestError(`room: ${room.error.issues[0]?.message ?? 'invalid'}`);
    if (!(await this.rooms.exists(input.room))) {
      throw new NotFoundError(`room "${input.room}" does not exist: create it first (POST /api/rooms)`);
    }
    const accepted = await this.accept(input, FROM_THE_SERVER);
    if (accepted.swallowed) return accepted;
    return new Promise<PostOutcome>((resolve, reject) => {
      this.commit(accepted.draft, {
        ...FROM_THE_SERVER,
        stored: (result) => resolve({ swallowed: false, ...result, replies: accepted.replies }),
        failed: reject,
      });
    });
  }

  /**
   * The first half of a post, for transports: everything that may refuse it before storage.
   * Awaited per connection, so a connection's messages reach the store in the order sent.
   */
  async accept(input: PostInput, sender: PostSender): Promise<Accepted> {
    const { room, user } = input;
    const files = input.attachments ?? [];
    // A message of files alone has no text to check.
    if (files.length === 0 || input.text !== '') {
      const valid = MessageTextSchema.safeParse(input.text);
      if (!valid.success) throw new BadRequestError(`text: ${valid.error.issues[0]?.message ?? 'invalid'}`);
    }
    if (files.length > MAX_ATTACHMENTS) {
      throw new BadRequestError(`attachments: at most ${MAX_ATTACHMENTS} per message`);
    }
    await this.policies.enforce({ kind: 'send', room, user, text: input.text });
    await this.permissions.assertCanWrite(room, user);
    await checkReplyTargets(this.store, room, input.replyTo, input.threadId);
    const clientId = input.clientId ?? randomUUID();
    const posting = new MessagePostingEvent(room, user, input.text, clientId, (name) => sender.rename(name));
    await this.hooks.run(posting);
    sender.replied(posting.replies, posting.swallowed);
    if (posting.swallowed) return { swallowed: true, replies: posting.replies };
    await this.takeSendQuota(user.id, sender.ip, input.clientId);
    const text = posting.text;
    const max = this.config.get('MAX_TEXT_LENGTH');
    // Characters are code points; the cheap UTF-16 length is an upper bound on their number.
    if (text.length > max) {
      const length = [...text].length;
      if (length > max) throw new TooLargeError(`text is ${length} characters; the limit is ${max}`);
    }
    const mentions = await this.mentions.resolve(room, user, text);
    const draft: MessageDraft = { room, user, text, clientId, ...(mentions.length > 0 && { mentions }) };
    if (input.replyTo !== undefined) draft.replyTo = input.replyTo;
    if (input.threadId !== undefined) draft.threadId = input.threadId;
    // Last: a refusal above leaves the uploads free for the next try. Uploads hang on their
    // message by (user, clientId) and room: a clientId already stored (a replay, or one reused in
    // another room) keeps its own files. Two sends racing with one clientId cannot both take: the
    // store refuses a second set of files for the key, and the same files in another room.
    if (files.length > 0 && !(input.clientId && (await this.store.findByClientId(user.id, clientId)))) {
      draft.attachments = await this.attachments.take({ userId: user.id, clientId, room }, files);
    }
    return { swallowed: false, replies: posting.replies, draft };
  }

  /**
   * The second half, for transports: stores the draft in the background, answers the sender,
   * then fans the message out. Tracked by {@link drain}.
   */
  commit(draft: MessageDraft, sender: PostSender): void {
    const work = this.store
      .append(draft)
      .then(async (result) => {
        // Idempotency is per user across rooms: the clientId's message lives elsewhere, nothing was
        // stored here. What this send took can never show (readers match the room): give it back.
        if (result.message.room !== draft.room) {
          if (draft.attachments) {
            await this.attachments.release({
              userId: draft.user.id,
              clientId: draft.clientId,
              room: draft.room,
            });
          }
          throw new ClientIdReusedError(draft.clientId, result.message.room);
        }
        return result;
      })
      .then(
        (result) => {
          sender.stored(result);
          if (!result.duplicate) this.published(result.message, draft.mentions);
        },
        (error: unknown) => sender.failed(error),
      )
      .catch((error: unknown) => this.logger.error(error))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /**
   * Removes the user's membership of `room`, then their connections, on every instance, leave
   * it at once and are told `room.removed {reason: 'kicked'}`. A public room they may join again;
   * for a lasting ban use RoomModeration.ban. Tracked by {@link drain}.
   */
  kick(room: string, userId: string, reason?: string): void {
    // The membership goes first, so that a reconnect after room.removed finds it gone.
    const work = this.removeMember(room, userId)
      .then(() =>
        this.bus.publish({
          type: 'kick',
          room,
          userId,
          removal: 'kicked',
          ...(reason !== undefined && { reason }),
        }),
      )
      .catch((error: unknown) => this.logger.error(error))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async removeMember(room: string, userId: string): Promise<void> {
    const member = await this.members.member(room, userId);
    if (member && (await this.members.remove(room, userId))) {
      await this.membershipLog.recorded({ room, user: member.user, reason: 'kicked' });
    }
  }

  /** Closes that user's connections on every instance (close code 4403, no automatic reconnect). */
  disconnectUser(userId: string, reason?: string): void {
    this.bus.publish({ type: 'disconnect-user', userId, ...(reason !== undefined && { reason }) });
  }

  /** Resolves once every accepted post, from any door, has been stored and answered (for shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Per user and per IP, across connections and instances (SENDS_PER_MINUTE_*). A replay of a
   * stored message (an outbox resent after a reconnect) stores nothing new: it never counts
   * against the quota. Looked up only when the quota is spent.
   */
  private async takeSendQuota(userId: string, ip: string | undefined, clientId?: string): Promise<void> {
    try {
      await this.quotas.sends.take({ userId, ip });
    } catch (error) {
      const replay = clientId !== undefined && (await this.store.findByClientId(userId, clientId));
      if (!replay) throw error;
    }
  }

  private published(message: ChatMessage, mentioned: readonly string[] = []): void {
    this.metrics.messagesReceived.inc();
    this.bus.publish({ type: 'message', message });
    // After the message itself, so that a mentioned user's client can show it when told.
    for (const userId of mentioned) {
      const { room, seq, id, user: by } = message;
      this.channel.tell(userId, { event: 'mention', data: { room, seq, id, by } });
    }
    this.events.emit(MessageStoredEvent.eventName, new MessageStoredEvent(message));
  }
}
