import { Injectable } from '@nestjs/common';
import { DEFAULT_ROOM, DisplayNameSchema } from '@chat/contracts';
import { BadRequestError, ForbiddenError } from '../common/errors/chat-errors.js';
import { PresenceService } from '../presence/presence.service.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { RoomRegistry } from './room-registry.js';
import { UserConnections } from './user-connections.js';

/**
 * Names guests chose with `/nick`, by user id, while any connection of that guest is open on
 * this instance: a new tab of the guest goes by it from its welcome on.
 */
@Injectable()
export class GuestNames {
  private readonly guestNames = new Map<string, string>();

  constructor(
    private readonly registry: RoomRegistry,
    private readonly connections: UserConnections,
    private readonly presence: PresenceService,
  ) {}

  get(userId: string): string | undefined {
    return this.guestNames.get(userId);
  }

  /** The guest's last connection here closed: its next sign-in is a new identity anyway. */
  delete(userId: string): void {
    this.guestNames.delete(userId);
  }

  /**
   * A guest's new display name, for every connection of that guest on this instance (its tabs): a
   * user is one entry in presence, so its tabs cannot go by different names. Presence shows the
   * rename as the user leaving under the old name and joining under the new one. Accounts keep
   * their username.
   */
  rename(client: ClientConnection, name: string): void {
    if (!client.user.guest) {
      throw new ForbiddenError('accounts are known by their username; only guests can change their name');
    }
    const parsed = DisplayNameSchema.safeParse(name);
    if (!parsed.success) throw new BadRequestError(`name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const previous = client.user;
    const tabs = this.registry.clientsOf(previous.id).add(client);
    const connections = this.connections.of(previous.id);
    for (const tab of connections) tabs.add(tab);
    this.guestNames.set(previous.id, parsed.data);
    for (const tab of tabs) tab.rename(parsed.data);
    // The sender hears it from the command's reply; every other tab is told here.
    for (const tab of connections) {
      if (tab === client) continue;
      const room = tab.fixedRoom ?? tab.rooms.values().next().value ?? DEFAULT_ROOM;
      tab.send('notice', { room, text: `you are now ${parsed.data}` });
    }
    this.presence.rename(previous, client.user);
  }
}
