import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { displayText } from '../lib/text/bidi.js';
import { remarkMentions } from './list/remark-mentions.js';

/** Only these schemes become links; everything else (javascript:, data:, relative paths) is text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return SAFE_PROTOCOLS.has(parsed.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

const components: Components = {
  // Links open in a new tab that cannot reach back to this one; an unsafe one is plain text.
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // An image is a link to it, never an <img>: a message must not load things by itself.
  img: ({ src, alt }) => {
    const href = typeof src === 'string' ? src : undefined;
    return href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {alt || href}
      </a>
    ) : (
      <span>{alt}</span>
    );
  },
  // Chat has no headings: "# today" is said, not a title.
  h1: ({ children }) => <p>{children}</p>,
  h2: ({ children }) => <p>{children}</p>,
  h3: ({ children }) => <p>{children}</p>,
  h4: ({ children }) => <p>{children}</p>,
  h5: ({ children }) => <p>{children}</p>,
  h6: ({ children }) => <p>{children}</p>,
};

interface MessageTextProps {
  text: string;
  /** The reader's name: `@` it is highlighted more than other mentions. */
  me?: string;
}

/**
 * Message text with safe formatting: bold, italics, strikethrough, inline code, code blocks,
 * quotes, lists and links (`www.` ones too), rendered by react-markdown as React elements.
 * Raw HTML is not interpreted (react-markdown shows it as text without rehype-raw), images are
 * links, and only http(s) and mailto links are made. Bidi controls are removed and the text is
 * isolated with its own direction (`dir="auto"`), so a right-to-left override can disguise
 * neither a file name nor a link, nor reorder the line's name and time.
 */
export const MessageText = memo(function MessageText({ text, me = '' }: MessageTextProps) {
  return (
    <div className="message__text" dir="auto">
      <Markdown
        remarkPlugins={[remarkGfm, [remarkMentions, { me }]]}
        components={components}
        urlTransform={safeUrl}
      >
        {displayText(text)}
      </Markdown>
    </div>
  );
});
