import { tokenize } from '../lib/text/linkify.js';

/**
 * Message text with its http(s) and mailto links clickable. Built from tokens as React elements,
 * so the text can never become markup; links open in a new tab that cannot reach back to this one.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <span className="message__text">
      {tokenize(text).map((token, index) =>
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
