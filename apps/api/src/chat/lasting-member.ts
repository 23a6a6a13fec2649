import type { ClientConnection } from '../ws/client-connection.js';

/**
 * Whether a public room's joiner becomes a member: accounts do. A guest does not (nor does a
 * tokenless connection): every guest sign-in is a new identity that nobody can name, so a
 * lasting guest membership could never be removed, and a few sign-ins would fill any room up to
 * MAX_MEMBERS_PER_ROOM for good. Guests read and write public rooms as tokenless clients do.
 */
export function lastingMember(client: ClientConnection): boolean {
  return !client.tokenless && !client.user.guest;
}
