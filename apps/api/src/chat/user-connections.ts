import { Injectable } from '@nestjs/common';
import type { ClientConnection } from '../ws/client-connection.js';

/**
 * This instance's connections by user, for what targets a user rather than a room (a kick, a
 * disconnect). Most users have one connection: it is stored bare, a Set only for several tabs,
 * because an idle server holds one entry per client. One per instance, shared by the
 * connections' start and end, guest renames and the bus's deliveries.
 */
@Injectable()
export class UserConnections {
  private readonly byUser = new Map<string, ClientConnection | Set<ClientConnection>>();

  add(client: ClientConnection): void {
    const id = client.user.id;
    const held = this.byUser.get(id);
    if (held === undefined) this.byUser.set(id, client);
    else if (held instanceof Set) held.add(client);
    else if (held !== client) this.byUser.set(id, new Set([held, client]));
  }

  remove(client: ClientConnection): void {
    const id = client.user.id;
    const held = this.byUser.get(id);
    if (held === client) this.byUser.delete(id);
    else if (held instanceof Set) {
      held.delete(client);
      if (held.size === 1) this.byUser.set(id, held.values().next().value as ClientConnection);
    }
  }

  has(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** A copy: callers close connections, which removes them while we iterate. */
  of(userId: string): ClientConnection[] {
    const held = this.byUser.get(userId);
    if (held === undefined) return [];
    return held instanceof Set ? [...held] : [held];
  }
}
