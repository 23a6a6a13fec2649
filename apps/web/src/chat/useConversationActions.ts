import { useMemo } from 'react';
import type { CreateRoomRequest } from '@chat/contracts';
import type { ChatSession } from '@chat/client';
import type { ChatActions } from '@chat/client/react';
import * as api from '../api/conversations-api.js';
import { ApiError } from '../api/http.js';

/** What this app does over HTTP for rooms and members, next to the session's socket actions. */
export interface HttpRoomActions {
  loadMembers: (room: string) => Promise<void>;
  createRoom: (request: CreateRoomRequest) => Promise<void>;
  /** Opens (or finds) the DM with `username` and shows it. */
  openDm: (username: string) => Promise<void>;
  invite: (room: string, username: string) => Promise<void>;
  /** Leaves `room` on every device (the server says `room.removed` to each). */
  leave: (room: string) => Promise<void>;
  /** Shows why something the user asked for failed (an HTTP call outside a dialog). */
  showFailure: (failure: unknown) => void;
}

/** The user's actions on rooms and messages: change events over the socket, membership over HTTP. */
export type ConversationActions = HttpRoomActions &
  Pick<
    ChatActions,
    'edit' | 'remove' | 'react' | 'markRead' | 'openThread' | 'loadOlderReplies' | 'closeThread'
  >;

/** Membership over HTTP; what the server answers goes into the session. */
export function useConversationActions(session: ChatSession): HttpRoomActions {
  return useMemo<HttpRoomActions>(
    () => ({
      loadMembers: async (room) => session.setMembers(room, await api.fetchMembers(room)),
      createRoom: async (request) => session.addRoom(await api.createRoom(request)),
      openDm: async (username) => session.addRoom(await api.openDm(username)),
      invite: (room, username) => api.addMember(room, username),
      showFailure: (failure) =>
        session.fail(failure instanceof Error ? failure.message : 'That did not work: try again.', {
          code: failure instanceof ApiError ? failure.body.code : 'internal',
          event: 'http',
        }),
      leave: async (room) => {
        await api.leaveRoom(room);
        session.removeRoom(room);
      },
    }),
    [session],
  );
}
