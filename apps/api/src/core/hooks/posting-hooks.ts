import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnavailableError } from '../../common/errors/chat-errors.js';
import { ChatError } from '../../common/errors/chat-errors.js';
import type { MessagePostingEvent } from '../events/message-posting.event.js';
import { ON_MESSAGE_POSTING } from './on-message-posting.decorator.js';

/** What the sender reads when a hook crashed: nothing was stored, a resend may work. */
export const HOOK_FAILED_MESSAGE = 'a server extension failed while handling this message; try again';

interface Hook {
  name: string;
  run: (event: MessagePostingEvent) => unknown;
}

/**
 * Every `@OnMessagePosting()` method, awaited in order. Fails closed: our own discovery instead of
 * EventEmitter2's emitAsync, which (suppressErrors) would let a message through a crashed hook.
 */
@Injectable()
export class PostingHooks implements OnApplicationBootstrap {
  private readonly logger = new Logger(PostingHooks.name);
  private hooks: Hook[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.hooks = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic() || typeof instance !== 'object' || instance === null) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function' || !this.reflector.get<boolean>(ON_MESSAGE_POSTING, fn)) continue;
        this.hooks.push({ name: `${wrapper.name}.${method}`, run: (event) => fn.call(instance, event) });
      }
    }
  }

  /** Runs every hook on `event`; throws when one fails (a ChatError a hook threw on purpose is kept). */
  async run(event: MessagePostingEvent): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook.run(event);
      } catch (error) {
        if (error instanceof ChatError) throw error;
        this.logger.error({ msg: `posting hook ${hook.name} threw: message refused`, err: error });
        throw new UnavailableError(HOOK_FAILED_MESSAGE);
      }
    }
  }
}
