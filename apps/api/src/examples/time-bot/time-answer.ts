/** What the bot says: the server's clock in UTC, to the second, so every reader sees one time. */
export function timeAnswer(now: Date): string {
  return `the server time is ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')} (UTC)`;
}

/** `!time`, alone on its line, any case: the trigger. */
export function asksForTheTime(text: string): boolean {
  return text.trim().toLowerCase() === '!time';
}
