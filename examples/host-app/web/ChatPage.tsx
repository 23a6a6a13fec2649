import { useState, type FormEvent } from 'react';
import { useChat, type UseChatSessionOptions } from '@chat/client/react';

export interface ChatPageProps {
  /** The signed-in user as the chat knows them (`GET /api/me`: `host:<sub>` for the host's users). */
  user: { id: string; guest?: boolean };
  /** The chat's WebSocket, `ws(s)://<host app>/ws`. */
  url: string;
  room?: string;
  /**
   * How the session connects. In the browser, nothing: the host's token travels as the chat's
   * cookie (`AUTH_COOKIE_NAME`). Outside one (a test, Node), a `createSocket` that sends it as
   * `Authorization: Bearer`.
   */
  options?: UseChatSessionOptions;
}

/** One room of the chat inside the host app's own page: its messages and a box to write in. */
export function ChatPage({ user, url, room = 'general', options }: ChatPageProps) {
  const chat = useChat(user, url, options);
  const [draft, setDraft] = useState('');
  const messages = chat.rooms.get(room)?.messages ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    // Queued in the outbox until the server has stored it (resent after a reconnect).
    chat.send(draft, { room });
    setDraft('');
  };

  return (
    <section aria-label={`#${room}`}>
      <p role="status">{chat.connection.status}</p>
      <ul aria-label="messages">
        {messages.map((message) => (
          <li key={message.id}>
            {message.user.name}: {message.text}
          </li>
        ))}
      </ul>
      {chat.pending > 0 && <p>{chat.pending} sending…</p>}
      <form onSubmit={submit}>
        <input aria-label="message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
