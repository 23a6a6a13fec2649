import type { User } from '@chat/contracts';

/**
 * What a user asks to do, as every policy sees it. The union grows with the product's operations:
 * switch on `kind` and let the rest through, so a policy written today keeps working when new
 * kinds arrive. A policy about what is written checks `send` and `edit` alike (both carry `text`).
 */
export type ChatAction =
  | { kind: 'join'; room: string; user: User }
  | { kind: 'send'; room: string; user: User; text: string }
  /** `id`: the message being edited; `text`: its new text (before posting hooks, as for `send`). */
  | { kind: 'edit'; room: string; user: User; id: string; text: string }
  | { kind: 'delete'; room: string; user: User; id: string }
  | { kind: 'react'; room: string; user: User; id: string; emoji: string; on: boolean };

/** A policy's answer: a denial carries the reason the client is shown (error code `forbidden`). */
export type PolicyVerdict = { allow: true } | { allow: false; reason: string };

/**
 * A rule a module adds to the chat. Put `@ChatPolicyProvider()` on an `@Injectable()` class that
 * implements this and list it in your module's providers. Every policy is asked about every
 * action; the first denial wins. A policy that throws or does not answer within
 * POLICY_TIMEOUT_MS refuses the action: policies fail closed.
 */
export interface ChatPolicy {
  check(action: ChatAction): PolicyVerdict | Promise<PolicyVerdict>;
}

const ALLOW: PolicyVerdict = Object.freeze({ allow: true });

export function allow(): PolicyVerdict {
  return ALLOW;
}

/** `reason` reaches the client as the `forbidden` error's message: say what to do instead. */
export function deny(reason: string): PolicyVerdict {
  return { allow: false, reason };
}
