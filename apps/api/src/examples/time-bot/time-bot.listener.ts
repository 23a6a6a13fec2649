import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { BotAccounts } from '../../bots/bot-accounts.js';
import { ChatCore, MessageStoredEvent } from '../../core/index.js';
import { asksForTheTime, timeAnswer } from './time-answer.js';

export const TIME_BOT_NAME = 'timebot';

/**
 * Answers `!time` with a message of its own, posted through ChatCore exactly as a user's: stored,
 * seq'd, fanned out to every instance. MessageStoredEvent fires only on the instance that stored
 * the question, so one answer is posted per question however many instances run.
 */
@Injectable()
export class TimeBotListener implements OnApplicationBootstrap {
  private readonly logger = new Logger(TimeBotListener.name);

  constructor(
    private readonly core: ChatCore,
    private readonly bots: BotAccounts,
  ) {}

  /**
   * Early, so the first answer does not wait on the store; not awaited, so a slow or locked
   * database never holds the start-up (a failure is retried on first use).
   */
  onApplicationBootstrap(): void {
    void this.bots
      .ensure(TIME_BOT_NAME)
      .catch((error: unknown) => this.logger.warn({ msg: 'timebot account not ready yet', err: error }));
  }

  @OnEvent(MessageStoredEvent.eventName)
  async onStored({ message }: MessageStoredEvent): Promise<void> {
    // Bots never answer bots: two of them could otherwise talk forever.
    if (message.user.bot || !asksForTheTime(message.text)) return;
    try {
      await this.core.post({
        room: message.room,
        text: timeAnswer(new Date()),
        user: await this.bots.ensure(TIME_BOT_NAME),
        // One answer per question, even if this runs twice (idempotent on the bot's clientId).
        clientId: `time-${message.id}`,
      });
    } catch (error) {
      // A listener's exception would be swallowed by the event emitter: say it here.
      this.logger.error({ msg: `timebot could not answer in ${message.room}`, err: error });
    }
  }
}
