import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import {
  allow,
  ChatCore,
  ChatCoreModule,
  ChatPolicyProvider,
  deny,
  HOOK_FAILED_MESSAGE,
  OnMessagePosting,
  POLICY_FAILED_MESSAGE,
  type ChatAction,
  type ChatPolicy,
  type MessagePostingEvent,
  type PolicyVerdict,
} from '../apps/api/src/core/index.js';
import { MESSAGE_STORE, type MessageStore } from '../apps/api/src/storage/message-store.js';
import { register } from './utils/accounts.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

const DENY_REASON = 'that word is not allowed here: rephrase and send again';

/** Denies sends with "rhubarb" and joins of rooms named closed-*. */
@Injectable()
@ChatPolicyProvider()
class DenyingPolicy implements ChatPolicy {
  check(action: ChatAction): PolicyVerdict {
    if (action.kind === 'send' && action.text.includes('rhubarb')) return deny(DENY_REASON);
    if (action.kind === 'join' && action.room.startsWith('closed-')) return deny('this room is closed');
    if (action.kind === 'join' && action.user.name === 'Banned')
      return deny('you are banned from this server');
    return allow();
  }
}

/** A policy with a bug: throws on some input, as a real one might on what its author did not foresee. */
@Injectable()
@ChatPolicyProvider()
class CrashingPolicy implements ChatPolicy {
  check(action: ChatAction): PolicyVerdict {
    if (action.kind === 'send' && action.text.includes('crash-policy')) throw new Error('policy bug');
    if (action.kind === 'join' && action.room.startsWith('crash-')) throw new Error('policy bug on join');
    return allow();
  }
}

/** A policy waiting on a service that never answers. */
@Injectable()
@ChatPolicyProvider()
class HangingPolicy implements ChatPolicy {
  check(action: ChatAction): PolicyVerdict | Promise<PolicyVerdict> {
    if (action.kind === 'send' && action.text.includes('hang-policy'))
      return new Promise<PolicyVerdict>(() => {});
    return allow();
  }
}

/** A posting hook with a bug. Before the core's own hooks, @OnEvent listeners like it failed open. */
@Injectable()
class CrashingHook {
  @OnMessagePosting()
  inspect(event: MessagePostingEvent): void {
    if (event.text.includes('crash-hook')) throw new Error('hook bug');
  }
}

@Injectable()
class Poster {
  constructor(@Inject(ChatCore) readonly core: ChatCore) {}
}

@Module({
  imports: [ChatCoreModule],
  providers: [DenyingPolicy, CrashingPolicy, HangingPolicy, CrashingHook, Poster],
})
class TestPoliciesModule {}

describe('policies and posting hooks fail closed', () => {
  let server: TestApp;
  let store: MessageStore;
  const clients: TestClient[] = [];
  const join = async (room = 'general', options: Parameters<typeof TestClient.joined>[2] = {}) => {
    const client = await TestClient.joined(server.wsUrl, room, options);
    clients.push(client);
    return client;
  };
  const settled = async (client: TestClient) => {
    client.send('ping', {});
    await client.next('pong');
  };
  /** Sends `text` as a fresh guest; resolves with the error frame and checks nothing was stored or shown. */
  const refusedSend = async (text: string, clientId: string) => {
    const sender = await TestClient.connect(server.wsUrl, { name: 'Sender' });
    clients.push(sender);
    const { user } = await sender.next('welcome');
    sender.send('join', { room: 'general' });
    await sender.next('joined');
    const bystander = await join();
    sender.send('send', { room: 'general', text, clientId });
    const error = await sender.next('error');
    expect(error).toMatchObject({ event: 'send', room: 'general', clientId });
    expect(await store.findByClientId(user.id, clientId)).toBeUndefined();
    await settled(bystander);
    expect(bystander.pending('message')).toEqual([]);
    expect(sender.pending('ack')).toEqual([]);
    // The connection keeps working.
    sender.send('send', { room: 'general', text: 'fine', clientId: `${clientId}-after` });
    expect((await sender.next('ack')).clientId).toBe(`${clientId}-after`);
    return error;
  };

  beforeAll(async () => {
    server = await startApp({ POLICY_TIMEOUT_MS: '200' }, { imports: [TestPoliciesModule] });
    store = server.app.get<MessageStore>(MESSAGE_STORE);
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('a denial should reach the client as forbidden with the reason, nothing stored', async () => {
    const error = await refusedSend('I like rhubarb', 'deny-1');
    expect(error).toMatchObject({ code: 'forbidden', message: DENY_REASON });
  });

  it('a policy that throws should refuse the send with unavailable, nothing stored', async () => {
    const error = await refusedSend('crash-policy now', 'crash-1');
    expect(error).toMatchObject({ code: 'unavailable', message: POLICY_FAILED_MESSAGE });
  });

  it('a policy that never answers should refuse the send once POLICY_TIMEOUT_MS is over, nothing stored', async () => {
    const error = await refusedSend('hang-policy now', 'hang-1');
    expect(error).toMatchObject({ code: 'unavailable', message: POLICY_FAILED_MESSAGE });
  });

  it('a posting hook that throws should refuse the message, nothing stored', async () => {
    const error = await refusedSend('crash-hook now', 'hook-1');
    expect(error).toMatchObject({ code: 'unavailable', message: HOOK_FAILED_MESSAGE });
  });

  it('join policies: a denial is forbidden with the reason, a crash is unavailable; the room is not joined', async () => {
    const account = await register(server.baseUrl);
    const client = await TestClient.connect(server.wsUrl, { token: account.token });
    clients.push(client);
    await client.next('welcome');
    client.send('join', { room: 'closed-lobby' });
    expect(await client.next('error')).toMatchObject({
      code: 'forbidden',
      message: 'this room is closed',
      event: 'join',
      room: 'closed-lobby',
    });
    client.send('join', { room: 'crash-lobby' });
    expect(await client.next('error')).toMatchObject({
      code: 'unavailable',
      message: POLICY_FAILED_MESSAGE,
      event: 'join',
      room: 'crash-lobby',
    });
    client.send('send', { room: 'closed-lobby', text: 'in?', clientId: 'j1' });
    expect(await client.next('error')).toMatchObject({ code: 'forbidden', clientId: 'j1' });
    client.send('join', { room: 'open-lobby' });
    await client.next('joined', (j) => j.room === 'open-lobby');
  });

  it('should refuse a simple-protocol message in its own error shape', async () => {
    const simple = await TestClient.connect(server.wsUrl, { protocols: [] });
    clients.push(simple);
    simple.sendRaw(JSON.stringify({ name: 'Sam', message: 'rhubarb pie' }));
    const frame = await simple.next('simple', (f) => 'error' in f);
    expect(frame.error).toEqual({ code: 'forbidden', message: DENY_REASON });
  });

  it('join policies should apply to a simple-protocol client too (it never sends join): error frame, then 4403', async () => {
    const simple = await TestClient.connect(server.wsUrl, { protocols: [], name: 'Banned' });
    clients.push(simple);
    const frame = await simple.next('simple', (f) => 'error' in f);
    expect(frame.error).toEqual({ code: 'forbidden', message: 'you are banned from this server' });
    expect((await simple.closed).code).toBe(4403);
  });

  it('should refuse a module post the same way (the core enforces, not the gateway)', async () => {
    const { core } = server.app.get(Poster);
    const user = { id: 'module-user', name: 'Robot', guest: false };
    await expect(core.post({ room: 'general', text: 'rhubarb', user })).rejects.toMatchObject({
      code: 'forbidden',
      message: DENY_REASON,
    });
    await expect(
      core.post({ room: 'general', text: 'crash-hook', user, clientId: 'm-hook' }),
    ).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(await store.findByClientId(user.id, 'm-hook')).toBeUndefined();
  });
});
