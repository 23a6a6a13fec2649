import type { ErrorCode, ErrorPayload } from '@chat/contracts';

/** What the UI can offer to fix a problem, beside dismissing it. */
export type FixAction = 'reload' | 'sign-in';

export interface HumanError {
  /** What happened, in a person's words. */
  title: string;
  /** What they can do about it. */
  hint: string;
  action?: FixAction;
}

/**
 * Every server error code in people's words, in one place: the server's own message (precise,
 * but written for developers: `room "x" does not exist, and guests cannot create rooms`) is kept
 * as the detail under it.
 */
const BY_CODE: Record<ErrorCode, HumanError> = {
  bad_request: { title: 'That did not work', hint: 'Check what you entered and try again.' },
  unauthorized: {
    title: 'Your session has ended',
    hint: 'Sign in again to carry on.',
    action: 'sign-in',
  },
  forbidden: { title: 'You cannot do that here', hint: 'Ask a room owner or moderator if you need to.' },
  not_found: {
    title: 'That is not there any more',
    hint: 'It may have been removed, or the name is different.',
  },
  too_large: { title: 'That is too long', hint: 'Shorten it and try again.' },
  rate_limited: { title: 'Slow down a little', hint: 'Wait a few seconds, then try again.' },
  unavailable: { title: 'The server is busy right now', hint: 'Try again in a moment.' },
  internal: {
    title: 'Something went wrong on our side',
    hint: 'Try again; if it keeps happening, reload the page.',
    action: 'reload',
  },
  conflict: { title: 'That name is taken', hint: 'Pick another one.' },
  idempotency_conflict: {
    title: 'That was already sent with other content',
    hint: 'Send it again as a new message.',
  },
};

/** Where the request tells more than its code: `event:code`. */
const BY_EVENT: Partial<Record<string, HumanError>> = {
  'join:forbidden': {
    title: 'You cannot join that room',
    hint: 'Guests join rooms that exist already; create an account to start your own.',
  },
  'join:not_found': {
    title: 'There is no such room',
    hint: 'Check the name, or browse the rooms there are.',
  },
  'send:forbidden': { title: 'You cannot write here', hint: 'Ask a room owner or moderator if you need to.' },
};

/**
 * The words for an error notice. A failed request (it names its event) gets its code's words;
 * one this client wrote itself ("You were removed from #x by a moderator.") is already meant
 * for people and stands alone.
 */
export function humanError(error: Pick<ErrorPayload, 'code' | 'event'>): HumanError | null {
  if (!error.event) return null;
  return BY_EVENT[`${error.event}:${error.code}`] ?? BY_CODE[error.code];
}
