import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CloseCode } from '@chat/contracts';
import { BUS, type Bus } from '../bus/bus.js';
import type { ClientConnection } from '../ws/client-connection.js';

const REVOKED = 'this session was signed out (sign-out or password change): sign in again';

/**
 * This instance's open connections of each account, with the token version each was opened
 * under. When an account's tokens are revoked (sign-out, password change; told over the bus, so
 * every instance hears it), the connections those tokens opened are closed with 4401: a token
 * that no longer opens a connection must not keep one open either. Guests are not tracked:
 * nothing stored can revoke their tokens, which simply expire.
 */
@Injectable()
export class AccountConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly byAccount = new Map<string, Map<ClientConnection, number>>();
  private unsubscribe: (() => void) | undefined;

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type === 'tokens-revoked') this.revoke(event.userId, event.version);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  add(connection: ClientConnection, tokenVersion: number): void {
    if (connection.user.guest) return;
    const id = connection.user.id;
    let connections = this.byAccount.get(id);
    if (!connections) this.byAccount.set(id, (connections = new Map()));
    connections.set(connection, tokenVersion);
  }

  remove(connection: ClientConnection): void {
    if (!connection.isAuthenticated || connection.user.guest) return;
    const connections = this.byAccount.get(connection.user.id);
    connections?.delete(connection);
    if (connections?.size === 0) this.byAccount.delete(connection.user.id);
  }

  /** Closes the account's connections opened with a token older than `version`. */
  private revoke(userId: string, version: number): void {
    const connections = this.byAccount.get(userId);
    if (!connections) return;
    for (const [connection, tokenVersion] of connections) {
      if (tokenVersion >= version) continue;
      connections.delete(connection);
      connection.fail({ code: 'unauthorized', message: REVOKED });
      connection.close(CloseCode.unauthorized, REVOKED);
    }
    if (connections.size === 0) this.byAccount.delete(userId);
  }
}
