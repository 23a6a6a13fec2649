import { displayText } from '../lib/text/bidi.js';
import { tokenize } from '../lib/text/linkify.js';

/**
 * Message text with its http(s) and mailto links clickable. Built from tokens as React elements,
 * so the text can never become markup; links open in a new tab that cannot reach back to this one.
 * Bidi controls are removed and the text is isolated with its own direction (`dir="auto"`), so a
 * right-to-left override cannot disguise a file name or a link, nor reorder the line's name and time.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <span className="message__text" dir="auto">
      {tokenize(displayText(text)).map((token, index) =>
        token.type === 'link' ? (
          <a key={index} href={token.href} target="_blank" rel="noopener noreferrer">
            {token.text}
          </a>
        ) : (
          token.text
        ),
      )}
    </span>
  );
}
