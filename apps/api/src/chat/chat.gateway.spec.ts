import { describe, expect, it } from '@jest/globals';
import { ChatGateway } from './chat.gateway.js';

describe(ChatGateway.name, () => {
  const methods = ChatGateway.prototype as unknown as Record<string, unknown>;

  it('should not handle connections the Nest way: ChatWsAdapter never calls OnGatewayConnection/OnGatewayDisconnect', () => {
    // The adapter tells the gateway through ConnectionLifecycle (opened/closed) instead of Nest's
    // per-connection route (measured: a seventh of a connection storm's time). A handleConnection
    // added here would silently never run, and with it whatever it was meant to check.
    expect(methods.handleConnection).toBeUndefined();
    expect(methods.handleDisconnect).toBeUndefined();
  });

  it('should implement the lifecycle the adapter does call', () => {
    expect(typeof methods.opened).toBe('function');
    expect(typeof methods.closed).toBe('function');
  });
});
