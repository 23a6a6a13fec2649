import { SetMetadata } from '@nestjs/common';

export const ON_MESSAGE_POSTING = 'chat:on-message-posting';

/**
 * Marks a method of a provider as a posting hook: it gets each {@link MessagePostingEvent} before
 * the message is stored, and is awaited. Hooks run one after another (in module order); one that
 * throws refuses the message (the sender gets an error frame, nothing is stored), unlike an
 * `@OnEvent` listener, whose errors @nestjs/event-emitter swallows.
 */
export const OnMessagePosting = (): MethodDecorator => SetMetadata(ON_MESSAGE_POSTING, true);
