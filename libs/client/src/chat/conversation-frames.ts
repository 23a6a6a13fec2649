import type { ServerFrame } from '@chat/contracts';
import type { ChatAction } from './chat-reducer.js';

/** What handling a user-channel frame asks of the socket, besides the reducer's action. */
export interface ConversationEffects {
  /** Rooms that are now the user's: joined on this socket if they are not yet. */
  joinAll: (rooms: string[]) => void;
  /** A room that is no longer the user's: nothing more of it is expected on this socket. */
  forget: (room: string) => void;
}

/**
 * The frames of the second layer (docs/protocol.md: "Messages that change", "Your own channel")
 * as reducer actions, with what they mean for the socket. Returns false for any other frame.
 */
export function handleConversationFrame(
  incoming: ServerFrame,
  dispatch: (action: ChatAction) => void,
  effects: ConversationEffects,
): boolean {
  switch (incoming.event) {
    case 'message.edited':
    case 'message.deleted':
    case 'reaction':
    case 'member':
      dispatch({ type: 'change', change: incoming });
      return true;
    case 'rooms':
      dispatch({ type: 'rooms', rooms: incoming.data.rooms });
      effects.joinAll(incoming.data.rooms.map((room) => room.name));
      return true;
    case 'room.added':
      dispatch({ type: 'roomAdded', room: incoming.data.room });
      effects.joinAll([incoming.data.room.name]);
      return true;
    case 'room.removed': {
      const { room, reason } = incoming.data;
      dispatch({ type: 'roomRemoved', room });
      effects.forget(room);
      // Leaving was your own doing; being removed is news.
      if (reason !== 'left') {
        const message = `You were ${reason === 'banned' ? 'banned' : 'removed'} from #${room} by a moderator.`;
        dispatch({ type: 'error', error: { code: 'forbidden', message, room } });
      }
      return true;
    }
    case 'read':
      dispatch({ type: 'read', room: incoming.data.room, seq: incoming.data.seq });
      return true;
    case 'mention':
      dispatch({ type: 'mention', mention: incoming.data });
      return true;
    default:
      return false;
  }
}
