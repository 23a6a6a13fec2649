import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { BUS, type Bus, type BusEvent } from '../bus/bus.js';
import { INSTANCE_ID } from '../bus/instance-id.js';
import { ThrottledWarning } from '../redis/throttled-warning.js';
import type { ClusterEvent } from './cluster-event.js';

/** Where an event was published: `local` when on this very instance. */
export interface EventOrigin {
  instanceId: string;
  local: boolean;
}

export type ClusterEventHandler<T> = (payload: T, origin: EventOrigin) => void | Promise<void>;

type ModuleBusEvent = Extract<BusEvent, { type: 'module' }>;

interface Subscription {
  event: ClusterEvent<unknown>;
  handler: ClusterEventHandler<unknown>;
}

/**
 * Modules' own events, delivered on every instance (the publisher's included, synchronously)
 * over the same bus as messages and presence. Delivery between instances is as good as the
 * bus's: best effort, nothing is replayed after a Redis outage. An event that arrives malformed
 * (not matching its schema) or a handler that throws is logged and never reaches the other
 * handlers or the bus.
 */
@Injectable()
export class ClusterEvents implements OnModuleDestroy {
  private readonly logger = new Logger(ClusterEvents.name);
  private readonly byName = new Map<string, Set<Subscription>>();
  /** One per event name that has handlers (so, bounded), to keep a flood of bad events quiet. */
  private readonly dropWarnings = new Map<string, ThrottledWarning>();
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'module') this.receive(event);
    });
  }

  /**
   * Sends `payload` to the event's handlers on every instance. It must be plain JSON data: the
   * publisher's own handlers get the JSON round-tripped copy the other instances get, so that
   * no handler can depend on where it runs. Throws if it does not match the event's schema.
   */
  publish<T>(event: ClusterEvent<T>, payload: T): void {
    const copy: unknown = JSON.parse(JSON.stringify(payload) ?? 'null');
    if (event.schema) {
      const checked = event.schema.safeParse(copy);
      if (!checked.success) {
        throw new Error(
          `cluster event ${event.name}: the payload does not match its schema: ${checked.error.message}`,
        );
      }
    }
    this.bus.publish({ type: 'module', instanceId: this.instanceId, name: event.name, payload: copy });
  }

  /** Calls `handler` for each `event` published on any instance. Returns a function that stops. */
  on<T>(event: ClusterEvent<T>, handler: ClusterEventHandler<T>): () => void {
    // Safe: receive() only hands this handler payloads that passed this event's schema.
    const subscription = { event, handler } as Subscription;
    let subscriptions = this.byName.get(event.name);
    if (!subscriptions) this.byName.set(event.name, (subscriptions = new Set()));
    subscriptions.add(subscription);
    return () => {
      subscriptions.delete(subscription);
      if (subscriptions.size === 0 && this.byName.get(event.name) === subscriptions)
        this.byName.delete(event.name);
    };
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.byName.clear();
  }

  private receive(event: ModuleBusEvent): void {
    // What came over Redis was only JSON-parsed: check the envelope before trusting its fields.
    if (typeof event.name !== 'string' || typeof event.instanceId !== 'string') return;
    const subscriptions = this.byName.get(event.name);
    if (!subscriptions) return;
    const origin = { instanceId: event.instanceId, local: event.instanceId === this.instanceId };
    for (const { event: definition, handler } of [...subscriptions]) {
      let payload = event.payload;
      if (definition.schema) {
        const checked = definition.schema.safeParse(payload);
        if (!checked.success) {
          this.dropWarning(event.name).warn(
            `dropped cluster event ${event.name} from instance ${event.instanceId}: the payload does not match its schema (${checked.error.issues.length} issue(s), first: ${checked.error.issues[0]?.message ?? 'unknown'}); is another version of the module running there?`,
          );
          continue;
        }
        payload = checked.data;
      }
      this.call(event.name, handler, payload, origin);
    }
  }

  private call(
    name: string,
    handler: ClusterEventHandler<unknown>,
    payload: unknown,
    origin: EventOrigin,
  ): void {
    const fail = (error: unknown) =>
      this.logger.error(
        `a handler of cluster event ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    try {
      const result = handler(payload, origin);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  private dropWarning(name: string): ThrottledWarning {
    let warning = this.dropWarnings.get(name);
    if (!warning) this.dropWarnings.set(name, (warning = new ThrottledWarning(this.logger)));
    return warning;
  }
}
