import { ClientIdSchema } from '@chat/contracts';
import { z } from 'zod';

/**
 * The body a CI job posts. `text` is checked by the chat core like any message (length, control
 * characters); only its presence and type are checked here.
 */
export const CiNotificationSchema = z.object({ text: z.string() });
export type CiNotification = z.infer<typeof CiNotificationSchema>;

/** `Idempotency-Key`: a CI retry with the same key returns the stored message instead of a second one. */
export const IdempotencyKeySchema = ClientIdSchema.optional();

/** The bot account that signs CI notifications. */
export const CI_BOT_NAME = 'ci-bot';
