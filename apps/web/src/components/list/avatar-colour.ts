/**
 * A person's avatar colour, the same on every screen: a hash of the user id picks the hue.
 * Lightness is low enough that white initials pass WCAG AA (4.5:1) on every hue: at 30 %
 * lightness and 55 % saturation the worst hue (yellow, 60°) still measures 4.75:1.
 */
export function avatarHue(id: string): number {
  // FNV-1a: tiny, well spread for short strings, and no dependency for a colour.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

export function avatarColour(id: string): string {
  return `hsl(${avatarHue(id)} 55% 30%)`;
}

/** Up to two initials: "Pia Ramos" -> "PR", "max" -> "M", "timebot" -> "T". */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/u)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]] : [words[0] ?? '?'];
  return (
    letters
      .map((word) => [...(word ?? '')][0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}
