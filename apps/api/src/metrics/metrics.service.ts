import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics. Each app has its own registry (tests start several apps in
 * one process), with Node's process metrics included.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly openConnections = new Gauge({
    name: 'chat_open_connections',
    help: 'WebSocket connections open on this instance',
    labelNames: ['protocol'] as const,
    registers: [this.registry],
  });

  readonly messagesReceived = new Counter({
    name: 'chat_messages_received_total',
    help: 'Messages stored on behalf of clients of this instance',
    registers: [this.registry],
  });

  readonly changesReceived = new Counter({
    name: 'chat_changes_received_total',
    help: 'Edits, deletes and reactions stored on behalf of clients of this instance, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly messagesDelivered = new Counter({
    name: 'chat_messages_delivered_total',
    help: 'Message frames handed to client sockets on this instance',
    registers: [this.registry],
  });

  readonly fanoutLatency = new Histogram({
    name: 'chat_fanout_latency_seconds',
    help: 'From a message being stored to its frames being handed to every local member',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly slowConsumersDropped = new Counter({
    name: 'chat_slow_consumers_dropped_total',
    help: 'Clients closed with 1013 for reading too slowly',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'chat_rate_limited_total',
    help: 'Requests refused (HTTP) or delayed (WebSocket frames) by a rate limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly connectionsRefused = new Counter({
    name: 'chat_refused_total',
    help: 'Connections and WebSocket upgrades turned away before a WebSocket existed',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly webhooks = new Counter({
    name: 'chat_webhooks_total',
    help: 'Webhook attempts by this instance, by outcome (delivered, failed, dead_letter)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly readMarkersWritten = new Counter({
    name: 'chat_read_markers_written_total',
    help: 'Read markers written to the store (a burst of reads of one user and room is one write)',
    registers: [this.registry],
  });

  readonly busEventsReceived = new Counter({
    name: 'chat_bus_events_received_total',
    help: "Other instances' events parsed here, by channel: a room's, a user's, or the one every instance hears",
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly busPresenceReceived = new Counter({
    name: 'chat_bus_presence_events_received_total',
    help: "Other instances' presence changes parsed here, by channel (a room's, or the one every instance hears)",
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** Set by the bus when it has topics (Redis): how many it subscribes to, by kind. */
  busTopicsSource: ((kind: 'room' | 'user') => number) | undefined;

  readonly busTopicsWatched = new Gauge({
    name: 'chat_bus_topics_watched',
    help: 'Rooms and users whose channels this instance subscribes to',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => {
      const source = this.busTopicsSource;
      if (!source) return;
      for (const kind of ['room', 'user'] as const) this.busTopicsWatched.set({ kind }, source(kind));
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
