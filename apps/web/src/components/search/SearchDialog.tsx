import { useId, useState, type KeyboardEvent } from 'react';
import type { SearchHit } from '@chat/contracts';
import { searchMessages } from '../../api/search-api.js';
import { formatDay, formatClock } from '../../lib/time/format.js';
import { Dialog } from '../dialogs/Dialog.js';
import { FieldError } from '../dialogs/FieldError.js';
import { UserName } from '../UserName.js';
import { HighlightedText } from './HighlightedText.js';
import { useMessageSearch } from './useMessageSearch.js';

interface SearchDialogProps {
  /** How a room is named on screen ("# design", or the other person of a DM). */
  roomLabel: (room: string) => string;
  /** Opens the room at the message (and closes the dialog). */
  onJump: (hit: SearchHit) => void;
  onClose: () => void;
  /** The search call (the API's, unless a test gives its own). */
  search?: typeof searchMessages;
}

/** Results in rooms, in the order of each room's best result; within a room, best first. */
function groupByRoom(hits: readonly SearchHit[]): [string, SearchHit[]][] {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) groups.set(hit.room, [...(groups.get(hit.room) ?? []), hit]);
  return [...groups];
}

/**
 * Search the messages of every room you can read (Ctrl/Cmd+K). Focus stays in the box: Up and
 * Down move through the results (a combobox with a listbox, for screen readers), Enter opens the
 * room at the chosen message, Escape closes.
 */
export function SearchDialog({ roomLabel, onJump, onClose, search = searchMessages }: SearchDialogProps) {
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const { hits, searching, error, hasMore, loadMore } = useMessageSearch(q, search);
  const groups = groupByRoom(hits);
  const ordered = groups.flatMap(([, group]) => group);
  const listId = useId();
  const optionId = (index: number) => `${listId}-hit-${index}`;
  const current = Math.min(active, ordered.length - 1);

  const jump = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onJump(hit);
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined && ordered.length > 0) {
      event.preventDefault();
      const next = Math.max(0, Math.min(ordered.length - 1, current + step));
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView?.({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      jump(ordered[current]);
    } else if (event.key === 'Escape') {
      // A search box's own Escape only empties it; here Escape closes, as in every dialog.
      event.preventDefault();
      onClose();
    }
  };
  const status = !q.trim()
    ? 'Words, "a phrase", -left-out, prefix*'
    : searching
      ? 'Searching…'
      : error
        ? ''
        : ordered.length === 0
          ? 'Nothing found'
          : `${ordered.length}${hasMore ? '+' : ''} ${ordered.length === 1 ? 'message' : 'messages'}`;

  let index = -1;
  return (
    <Dialog title="Search messages" onClose={onClose}>
      <label htmlFor={`${listId}-q`}>Search the rooms you can read</label>
      <input
        id={`${listId}-q`}
        type="search"
        role="combobox"
        aria-expanded={ordered.length > 0}
        aria-controls={listId}
        aria-activedescendant={ordered.length > 0 ? optionId(current) : undefined}
        aria-autocomplete="list"
        aria-describedby={`${listId}-status`}
        autoFocus
        maxLength={200}
        value={q}
        onChange={(event) => {
          setQ(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <FieldError id={`${listId}-error`} error={error} />
      <p id={`${listId}-status`} className="hint" role="status">
        {status}
      </p>
      <div id={listId} role="listbox" aria-label="Messages found" className="search-results">
        {groups.map(([room, group]) => (
          <div key={room} role="group" aria-label={roomLabel(room)} className="search-results__room">
            <div className="search-results__room-name" aria-hidden="true">
              {roomLabel(room)}
            </div>
            {group.map((hit) => {
              index++;
              const at = index;
              return (
                <div
                  key={hit.message.id}
                  id={optionId(at)}
                  role="option"
                  aria-selected={at === current}
                  className={`search-hit${at === current ? ' search-hit--active' : ''}`}
                  onMouseEnter={() => setActive(at)}
                  onClick={() => jump(hit)}
                >
                  <div className="search-hit__meta">
                    <span className="search-hit__author">
                      <UserName user={hit.message.user} />
                    </span>{' '}
                    <time dateTime={hit.message.time}>
                      {formatDay(hit.message.time)} {formatClock(hit.message.time)}
                    </time>
                    {hit.message.threadId && <span className="search-hit__thread"> · in a thread</span>}
                  </div>
                  <div className="search-hit__snippet" dir="auto">
                    <HighlightedText text={hit.snippet} highlights={hit.highlights} />
                  </div>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {hasMore && (
        <button type="button" className="link-button" onClick={loadMore}>
          More results
        </button>
      )}
    </Dialog>
  );
}
