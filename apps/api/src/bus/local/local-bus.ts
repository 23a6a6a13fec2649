import type { Bus, BusEvent, BusListener } from '../bus.js';

/** A bus for a single instance: delivery is a synchronous call, in publish order. */
export class LocalBus implements Bus {
  private readonly listeners = new Set<BusListener>();

  publish(event: BusEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Nothing is ever lost in process, so there is nothing to catch up on. */
  onReconnect(): () => void {
    return () => undefined;
  }

  /** One instance hears everything it publishes: every topic, always. */
  watch(): Promise<void> {
    return Promise.resolve();
  }

  unwatch(): void {}

  hears(): boolean {
    return true;
  }

  onHeard(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
