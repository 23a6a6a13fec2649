import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CloseCode } from '@chat/contracts';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import { PresenceService } from '../presence/presence.service.js';
import { envelopeFrame } from '../ws/frames.js';
import { PresenceFanout } from './presence-fanout.js';
import { RoomRegistry } from './room-registry.js';
import { UserConnections } from './user-connections.js';

const TOKENS_REVOKED = 'this session was signed out (sign-out or password change): sign in again';

/**
 * What the bus brings from any instance (this one included), delivered to this instance's
 * connections: room messages, changes and typing to the room's members here; kicks, user-channel
 * frames, disconnects and revoked tokens to the user's connections here; presence changes to the
 * rooms' presence batches. Also repairs, from the store, what the bus could not bring.
 */
@Injectable()
export class ClusterDelivery implements OnModuleInit, OnApplicationShutdown {
  private readonly subscriptions: (() => void)[] = [];

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    private readonly presenceFanout: PresenceFanout,
    private readonly connections: UserConnections,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(
      this.bus.subscribe((event) => this.onBusEvent(event)),
      // Messages published while the bus was away never arrive: read them from the store.
      this.bus.onReconnect(() => this.registry.catchUp()),
      // So are a room's published before this instance heard it (a subscription confirmed late).
      this.bus.onHeard((topic) => {
        if (topic.startsWith('room:')) this.registry.catchUp(topic.slice('room:'.length));
      }),
      this.presence.onChange((diff) => this.presenceFanout.changed(diff)),
    );
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
  }

  private onBusEvent(event: BusEvent): void {
    if (event.type === 'message') this.registry.deliver({ event: 'message', data: event.message });
    else if (event.type === 'change') this.registry.deliver(event.change);
    else if (event.type === 'typing') {
      this.registry.broadcast(
        event.room,
        envelopeFrame('typing', { room: event.room, user: event.user }),
        event.user.id,
      );
    } else if (event.type === 'kick') this.kicked(event.room, event.userId, event.removal ?? 'kicked');
    else if (event.type === 'user-channel') {
      for (const client of this.connections.of(event.userId)) {
        if (client.id !== event.exceptConnection) client.send(event.frame.event, event.frame.data);
      }
    } else if (event.type === 'disconnect-user') {
      for (const client of this.connections.of(event.userId)) {
        client.close(CloseCode.removed, (event.reason ?? 'removed by the server').slice(0, 120));
      }
    } else if (event.type === 'tokens-revoked') this.revoked(event.userId, event.version);
  }

  /**
   * The account's tokens older than `version` were revoked (sign-out, password change; every
   * instance hears it): the connections they opened here are closed with 4401, since a token that
   * no longer opens a connection must not keep one open either.
   */
  private revoked(userId: string, version: number): void {
    for (const client of this.connections.of(userId)) {
      if (client.user.guest || client.tokenVersion >= version) continue;
      client.fail({ code: 'unauthorized', message: TOKENS_REVOKED });
      client.close(CloseCode.unauthorized, TOKENS_REVOKED);
    }
  }

  /**
   * The user is out of the room (left, kicked or banned; ChatCore.kick or RoomMembership reached
   * this instance): their connections here leave it at once, and every one of them hears
   * `room.removed`, in the room or not (their room lists change too). A client whose protocol
   * fixes its room (simple) has no way to leave or rejoin: it is closed instead.
   */
  private kicked(room: string, userId: string, reason: 'left' | 'kicked' | 'banned'): void {
    for (const client of this.connections.of(userId)) {
      if (client.fixedRoom === room) {
        if (reason !== 'left') client.close(CloseCode.removed, 'removed from the room by a moderator');
        continue;
      }
      if (client.rooms.has(room)) {
        this.registry.remove(room, client);
        this.presence.exit(room, client.user);
      }
      client.send('room.removed', { room, reason });
    }
  }
}
