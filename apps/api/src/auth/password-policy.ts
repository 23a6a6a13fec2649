import { BadRequestError } from '../common/errors/chat-errors.js';
import { isCommonPassword } from './common-passwords.js';

/**
 * Refuses passwords that are guessed first (the length rules are in the contracts'
 * PasswordSchema, checked before this): one of the most common passwords, or the username
 * itself, also reversed, repeated, or with digits and symbols around it ("Alice1!", "ecila",
 * "alicealice"). The same holds for a common word with digits and symbols around it
 * ("password123", "!dragon2024"). Case never matters.
 */
export function checkNewPassword(password: string, username: string): void {
  const lower = password.toLowerCase();
  // The part a guesser would try first: without the digits and symbols people put around it.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const name = username.toLowerCase();
  const nameLetters = name.replace(/[^\p{L}\p{N}]/gu, '');
  const candidates = [lower, core, lower.replace(/[^\p{L}\p{N}]/gu, '')];
  const forms = new Set([name, nameLetters, [...name].reverse().join('')].filter((form) => form !== ''));
  const isName = (candidate: string) =>
    forms.has(candidate) ||
    (candidate.length > name.length &&
      candidate.length % name.length === 0 &&
      candidate === name.repeat(candidate.length / name.length));
  // The username with only digits and symbols around it: `alice_7` -> `alice_72024!`.
  const at = lower.indexOf(name);
  const decorated = at >= 0 && !/\p{L}/u.test(lower.slice(0, at) + lower.slice(at + name.length));
  if (decorated || candidates.some(isName)) {
    throw new BadRequestError('password: must not be your username or a variant of it; choose another');
  }
  if (isCommonPassword(lower) || (core.length >= 4 && isCommonPassword(core))) {
    throw new BadRequestError(
      'password: this is one of the most common passwords, which are guessed first; choose another (a few unrelated words make a good one)',
    );
  }
}
