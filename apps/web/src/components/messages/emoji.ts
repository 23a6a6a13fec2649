/**
 * The reaction picker's emoji: the frequent few that chat people use most (Slack's and Element's
 * defaults agree on most of them), with names for screen readers and tooltips. Our own small set
 * rather than a picker library: no dependency, nothing to load.
 */
export const FREQUENT_EMOJI: readonly { emoji: string; name: string }[] = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'red heart' },
  { emoji: '😂', name: 'face with tears of joy' },
  { emoji: '🎉', name: 'party popper' },
  { emoji: '😮', name: 'face with open mouth' },
  { emoji: '😢', name: 'crying face' },
  { emoji: '👀', name: 'eyes' },
  { emoji: '🙏', name: 'folded hands' },
  { emoji: '✅', name: 'check mark' },
  { emoji: '🔥', name: 'fire' },
];

const NAMES = new Map(FREQUENT_EMOJI.map((e) => [e.emoji, e.name]));

/** A spoken name for an emoji: ours when it is one of the set, else the emoji itself. */
export function emojiName(emoji: string): string {
  return NAMES.get(emoji) ?? emoji;
}
