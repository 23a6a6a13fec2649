/**
 * A finder for whole words of `words`, ignoring case: "class" does not match "classic". A word
 * boundary is any character that is not a letter or a digit in any script (`\b` knows only ASCII).
 * Returns the word as configured, or undefined. No words: matches nothing.
 */
export function wordMatcher(words: readonly string[]): (text: string) => string | undefined {
  if (words.length === 0) return () => undefined;
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  const byLowerCase = new Map(words.map((word) => [word.toLowerCase(), word]));
  return (text) => {
    const found = pattern.exec(text)?.[1];
    return found === undefined ? undefined : (byLowerCase.get(found.toLowerCase()) ?? found);
  };
}
