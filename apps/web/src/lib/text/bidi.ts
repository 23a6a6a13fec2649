/**
 * Bidirectional-text controls: embeddings and overrides (U+202A-U+202E), isolates
 * (U+2066-U+2069), the marks LRM, RLM (U+200E, U+200F) and ALM (U+061C). In a name or a message
 * they let one user reorder what others see: "evil\u202Egnp.exe" shows as "evilexe.png".
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…), or their presentation forms. */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Text from other users as it may be shown: bidi controls removed, so the characters appear in
 * the order they were written. Genuine right-to-left text still reads right, since the
 * renderer orders it by its letters; the page isolates each name and text (`<bdi>`, `dir="auto"`)
 * so it cannot reorder what stands around it either.
 */
export function displayText(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * Text for places that are plain strings, not elements (the tab title, a notification, the
 * "is typing" line): cleaned as {@link displayText}, and wrapped in a first-strong isolate when it
 * holds right-to-left letters, so an Arabic name cannot carry the words after it along.
 */
export function isolatedText(text: string): string {
  const clean = displayText(text);
  return RTL_LETTER.test(clean) ? `${FIRST_STRONG_ISOLATE}${clean}${POP_DIRECTIONAL_ISOLATE}` : clean;
}
