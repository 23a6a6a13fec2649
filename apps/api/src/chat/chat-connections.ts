import { Inject, Injectable } from '@nestjs/common';
import { CloseCode, type Welcome } from '@chat/contracts';
import { BUS, userTopic, type Bus } from '../bus/bus.js';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, maxServerFrameBytes, pageBudgetBytes } from '../config/frame-budget.js';
import { ChatPolicies } from '../core/policies/chat-policies.js';
import { RoomMembership } from '../core/membership/room-membership.js';
import { PresenceService } from '../presence/presence.service.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { reportError } from '../ws/report-error.js';
import { GuestNames } from './guest-names.js';
import { lastingMember } from './lasting-member.js';
import { RoomRegistry } from './room-registry.js';
import { MAX_UNACKED_SENDS } from './unacked-sends.js';
import { UserConnections } from './user-connections.js';

/**
 * A connection's start and end on this instance: its `welcome` and room list (or, for a protocol
 * without `join`, its one room), its user's channel, and what it leaves behind when it closes.
 */
@Injectable()
export class ChatConnections {
  /** `welcome`'s limits as JSON: the same for every client, so serialized once. */
  private welcomeLimitsJson: string | undefined;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: RoomRegistry,
    private readonly presence: PresenceService,
    private readonly config: AppConfigService,
    private readonly policies: ChatPolicies,
    private readonly membership: RoomMembership,
    private readonly connections: UserConnections,
    private readonly guestNames: GuestNames,
  ) {}

  /** What `welcome` tells every client about the limits. */
  private limits(): Welcome['limits'] {
    return {
      maxTextLength: this.config.get('MAX_TEXT_LENGTH'),
      maxFrameBytes: this.config.get('MAX_FRAME_BYTES'),
      maxServerFrameBytes: maxServerFrameBytes(frameBudgetConfig(this.config)),
      sendRatePerSec: this.config.get('SEND_RATE_PER_SEC'),
      sendBurst: this.config.get('SEND_BURST'),
      frameRatePerSec: this.config.get('FRAME_RATE_PER_SEC'),
      frameBurst: this.config.get('FRAME_BURST'),
      maxUnackedSends: MAX_UNACKED_SENDS,
      maxRoomsPerConnection: this.config.get('MAX_ROOMS_PER_CONNECTION'),
      heartbeatMs: this.config.get('HEARTBEAT_MS'),
      maxQueuedBytes: this.config.get('MAX_QUEUED_BYTES'),
      // The budget HistoryPages cuts `joined` and `history` to.
      maxPageBytes: pageBudgetBytes(frameBudgetConfig(this.config)),
      presenceListMax: this.config.get('PRESENCE_LIST_MAX'),
      quotas: {
        sendsPerMinutePerUser: this.config.get('SENDS_PER_MINUTE_PER_USER'),
        sendsPerMinutePerIp: this.config.get('SENDS_PER_MINUTE_PER_IP'),
        roomsPerHourPerUser: this.config.get('ROOMS_PER_HOUR_PER_USER'),
        roomsPerHourPerIp: this.config.get('ROOMS_PER_HOUR_PER_IP'),
        readsPerMinutePerUser: this.config.get('READS_PER_MINUTE_PER_USER'),
        readsPerMinutePerIp: this.config.get('READS_PER_MINUTE_PER_IP'),
      },
    };
  }

  /**
   * The `welcome` frame's data, in the shape of {@link Welcome}; built as text because its
   * limits, most of its bytes, are the same for every client (a restart's reconnect storm pays
   * for each welcome).
   */
  private welcomeJson(client: ClientConnection): string {
    this.welcomeLimitsJson ??= JSON.stringify(this.limits());
    const head: Omit<Welcome, 'limits'> = {
      connectionId: client.id,
      user: client.user,
      serverTime: new Date().toISOString(),
    };
    return `${JSON.stringify(head).slice(0, -1)},"limits":${this.welcomeLimitsJson}}`;
  }

  connect(client: ClientConnection): void {
    const chosen = client.user.guest ? this.guestNames.get(client.user.id) : undefined;
    if (chosen !== undefined && chosen !== client.user.name) client.rename(chosen);
    // The user's own channel (kicks, read markers, mentions) is heard where they are connected.
    if (!this.connections.has(client.user.id)) void this.bus.watch(userTopic(client.user.id));
    this.connections.add(client);
    // A protocol without `join` (simple) is in its one room from the start, live only.
    if (client.fixedRoom !== null) {
      this.registry.addLive(client.fixedRoom, client);
      this.presence.enter(client.fixedRoom, client.user);
      if (this.policies.any || !client.tokenless) void this.checkFixedRoom(client, client.fixedRoom);
      return;
    }
    client.sendJson('welcome', this.welcomeJson(client));
    if (!client.tokenless) void this.sendRooms(client);
  }

  /** The user's rooms, right after `welcome`: the start of their own channel. */
  private async sendRooms(client: ClientConnection): Promise<void> {
    try {
      // Heard before the read: a room added meanwhile is in the list or in a `room.added`.
      await this.bus.watch(userTopic(client.user.id));
      const rooms = await this.membership.roomsOf(client.user);
      if (client.isOpen) client.send('rooms', { rooms });
    } catch (error) {
      reportError(client, error);
    }
  }

  /**
   * Join policies (and, for a token holder, membership) for a client that never sends `join`:
   * it cannot be kept out of its one room otherwise, so a refusal (or a failed policy) is an
   * error frame and a 4403 close. Checked after it entered, so that connecting costs no wait
   * when policies allow (the usual case).
   */
  private async checkFixedRoom(client: ClientConnection, room: string): Promise<void> {
    try {
      await this.policies.enforce({ kind: 'join', room, user: client.user });
      // A token holder is kept to membership as a join would (a ban from general closes it).
      if (!client.tokenless) await this.membership.enter(room, client.user, lastingMember(client));
    } catch (error) {
      const { message } = reportError(client, error, { room });
      client.close(CloseCode.forbidden, message.slice(0, 120));
    }
  }

  disconnect(client: ClientConnection): void {
    this.connections.remove(client);
    if (!this.connections.has(client.user.id)) {
      this.bus.unwatch(userTopic(client.user.id));
      if (!client.tokenless && !client.user.guest) void this.membership.flushReads(client.user.id);
    }
    if (client.user.guest && [...this.connections.of(client.user.id)].length === 0) {
      this.guestNames.delete(client.user.id);
    }
    for (const room of client.rooms) this.presence.exit(room, client.user);
    this.registry.removeEverywhere(client);
  }
}
