import { BadRequestError } from '../common/errors/chat-errors.js';
import { isCommonPassword } from './common-passwords.js';

/** The product's own name: a guesser tries it (and `chatchat`, `ch4t2024`) early. */
const PRODUCT_NAMES = ['chat'];

/**
 * Characters a guesser swaps for each other (leetspeak): `m4ll0ry81` is `mallory81`, and `1`
 * reads as `l` or `i`. Within a class, any character stands for any other.
 */
const LEET_CLASSES = ['a4@', 'b8', 'e3', 'g69', 'il1!|', 'o0', 's5$', 't7+', 'z2'];
const SYNTAX = /[\^$\\.*+?()[\]{}|/]/g;

/** A regex source matching `word` in any leetspeak spelling. */
function leetPattern(word: string): string {
  return [...word]
    .map((char) => {
      const leet = LEET_CLASSES.find((group) => group.includes(char));
      return leet === undefined ? char.replace(SYNTAX, '\\$&') : `[${leet}]`;
    })
    .join('');
}

/**
 * True when `password` (lowercase) is `word` (lowercase) in leetspeak, also reversed or repeated,
 * with only digits and symbols around it: `m4ll0ry81!`, `ch4tch4t`, `2024t4hc`.
 */
function isLeetVariantOf(password: string, word: string): boolean {
  const letters = word.replace(/[^\p{L}\p{N}]/gu, '');
  return [word, letters].some((form) => {
    if (form === '') return false;
    const forward = leetPattern(form);
    const backward = leetPattern([...form].reverse().join(''));
    const variant = new RegExp(`^[^\\p{L}]*?(?:(?:${forward})+|(?:${backward})+)[^\\p{L}]*$`, 'u');
    return variant.test(password) || variant.test(password.replace(/[\s_.-]/gu, ''));
  });
}

/**
 * True when `password` (lowercase) is `word` (lowercase) itself, also reversed, repeated, without
 * its symbols, or with only digits and symbols around it ("alice1!", "ecila", "alicealice").
 */
function isVariantOf(password: string, word: string): boolean {
  // The part a guesser would try first: without the digits and symbols people put around it.
  const core = password.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const wordLetters = word.replace(/[^\p{L}\p{N}]/gu, '');
  const candidates = [password, core, password.replace(/[^\p{L}\p{N}]/gu, '')];
  const forms = new Set([word, wordLetters, [...word].reverse().join('')].filter((form) => form !== ''));
  const isWord = (candidate: string) =>
    forms.has(candidate) ||
    (candidate.length > word.length &&
      candidate.length % word.length === 0 &&
      candidate === word.repeat(candidate.length / word.length));
  // The word with only digits and symbols around it: `alice_7` -> `alice_72024!`.
  const at = password.indexOf(word);
  const decorated =
    word !== '' && at >= 0 && !/\p{L}/u.test(password.slice(0, at) + password.slice(at + word.length));
  return decorated || candidates.some(isWord);
}

/** One character over and over (`aaaaaaaa`), or a run such as `abcdefgh`, `87654321`. */
function isPattern(text: string): boolean {
  const codes = [...text].map((char) => char.codePointAt(0) ?? 0);
  if (codes.length < 4) return false;
  const step = codes[1] - codes[0];
  return Math.abs(step) <= 1 && codes.every((code, i) => i === 0 || code - codes[i - 1] === step);
}

/**
 * Refuses passwords that are guessed first (the length rules are in the contracts'
 * PasswordSchema, checked before this): one of the most common passwords; the username itself,
 * also reversed, repeated, in leetspeak (`m4ll0ry81`), or with digits and symbols around it
 * ("Alice1!", "ecila", "alicealice"); the same for the product's name (`chatchat`); one
 * repeated character or a simple run (`aaaaaaaa`, `abcdefgh`), also with digits and symbols
 * around it; and a common word with digits and symbols around it ("password123",
 * "!dragon2024"). Case never matters.
 */
export function checkNewPassword(password: string, username: string): void {
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (isVariantOf(lower, name) || isLeetVariantOf(lower, name)) {
    throw new BadRequestError('password: must not be your username or a variant of it; choose another');
  }
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (isCommonPassword(lower) || (core.length >= 4 && isCommonPassword(core))) {
    throw new BadRequestError(
      'password: this is one of the most common passwords, which are guessed first; choose another (a few unrelated words make a good one)',
    );
  }
  if (PRODUCT_NAMES.some((product) => isVariantOf(lower, product) || isLeetVariantOf(lower, product))) {
    throw new BadRequestError("password: must not be this product's name or a variant of it; choose another");
  }
  if (isPattern(lower) || isPattern(core)) {
    throw new BadRequestError(
      'password: must not be one character repeated or a simple sequence (such as abcdefgh); choose another',
    );
  }
}
