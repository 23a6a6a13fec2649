/**
 * Per client: sends accepted and not yet acknowledged. Past `size` of them the client's next send
 * waits (and with it the connection's next frames: the socket stops being read) until an ack goes
 * out. Refusing it instead would punish a client for the store being slow, which is not its fault.
 */
export class SendWindow<Client extends object> {
  private readonly open = new WeakMap<Client, number>();
  /** A connection handles one frame at a time, so at most one send of a client waits. */
  private readonly waiting = new WeakMap<Client, () => void>();

  constructor(readonly size: number) {}

  /** Resolves at once while the window has room; otherwise once an earlier send is settled. */
  async admit(client: Client): Promise<void> {
    while (this.size > 0 && (this.open.get(client) ?? 0) >= this.size) {
      await new Promise<void>((resolve) => this.waiting.set(client, resolve));
    }
  }

  opened(client: Client): void {
    this.open.set(client, (this.open.get(client) ?? 0) + 1);
  }

  settled(client: Client): void {
    this.open.set(client, (this.open.get(client) ?? 1) - 1);
    const wake = this.waiting.get(client);
    this.waiting.delete(client);
    wake?.();
  }
}
