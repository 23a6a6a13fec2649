import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import {
  SlashCommand,
  type CommandContext,
  type SlashCommandHandler,
} from '../apps/api/src/commands/slash-command.js';
import { register } from './utils/accounts.js';
import { startApp, type TestApp } from './utils/start-app.js';
import { closeAll, TestClient } from './utils/test-client.js';

describe('slash commands (a module on the MessagePostingEvent extension point)', () => {
  let server: TestApp;
  const clients: TestClient[] = [];
  /** A guest in general, with its presence list: changes after that come as presence.diff. */
  const guest = async (name: string) => {
    const client = await TestClient.joined(server.wsUrl, 'general', { name });
    clients.push(client);
    await client.next('presence');
    return client;
  };

  beforeAll(async () => {
    server = await startApp();
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it('/help should answer the sender privately, store nothing and settle the pending send', async () => {
    const alice = await guest('Alice');
    const bob = await guest('Bob');
    alice.send('send', { room: 'general', text: '/help', clientId: 'h1' });
    const notice = await alice.next('notice');
    expect(notice).toMatchObject({ room: 'general', clientId: 'h1' });
    expect(notice.text).toContain('/me <action>');
    expect(notice.text).toContain('/nick <new name>');
    // Not stored, not acknowledged, not shown to anyone.
    alice.send('history', { room: 'general' });
    expect((await alice.next('history')).messages).toEqual([]);
    expect(alice.pending('ack')).toEqual([]);
    bob.send('ping', {});
    await bob.next('pong');
    expect(bob.pending('message')).toEqual([]);
  });

  it('/me should be stored and shown to everyone as an action', async () => {
    const alice = await guest('Alice');
    const bob = await guest('Bob');
    alice.send('send', { room: 'general', text: '/me waves', clientId: 'me1' });
    await alice.next('ack');
    expect((await bob.next('message')).text).toBe('* Alice waves');
  });

  it('/nick should rename a guest for the next messages and in presence', async () => {
    const alice = await guest('Alice');
    const bob = await guest('Bob');
    alice.send('send', { room: 'general', text: '/nick Zoe', clientId: 'n1' });
    expect((await alice.next('notice')).text).toBe('you are now Zoe');
    const renamed = await bob.next('presence.diff', (d) => d.joined.length > 0);
    expect(renamed.joined[0]).toMatchObject({ name: 'Zoe', guest: true });
    alice.send('send', { room: 'general', text: 'hello as Zoe', clientId: 'n2' });
    expect((await bob.next('message')).user).toMatchObject({ name: 'Zoe', guest: true });
  });

  it('/nick should refuse accounts, and names that break the rules', async () => {
    const { token } = await register(server.baseUrl);
    const member = await TestClient.joined(server.wsUrl, 'general', { token });
    clients.push(member);
    member.send('send', { room: 'general', text: '/nick Admin', clientId: 'n3' });
    expect((await member.next('notice')).text).toContain('only guests');
    const alice = await guest('Alice');
    alice.send('send', { room: 'general', text: `/nick ${'x'.repeat(40)}`, clientId: 'n4' });
    expect((await alice.next('notice')).text).toContain('at most 32 characters');
  });

  it('should explain an unknown command, and send //text as a literal /text', async () => {
    const alice = await guest('Alice');
    alice.send('send', { room: 'general', text: '/shrug', clientId: 'u1' });
    expect((await alice.next('notice')).text).toContain('unknown command /shrug');
    alice.send('send', { room: 'general', text: '//shrug', clientId: 'u2' });
    await alice.next('ack');
    expect((await alice.next('message')).text).toBe('/shrug');
  });

  it('should work for simple-protocol clients too', async () => {
    const plain = await TestClient.connect(server.wsUrl, { protocols: [] });
    clients.push(plain);
    plain.sendRaw(JSON.stringify({ name: 'Sam', message: '/me dances' }));
    expect((await plain.next('simple')).message).toBe('* Sam dances');
    plain.sendRaw(JSON.stringify({ name: 'Sam', message: '/help' }));
    expect(await plain.next('simple')).toMatchObject({ name: 'server' });
  });
});

/** A service of the test module, injected into its command as any module's would be. */
@Injectable()
class Dice {
  readonly rolls: string[] = [];
  roll(sides: number): number {
    this.rolls.push(`d${sides}`);
    return sides; // a loaded die: the test knows the answer
  }
}

@SlashCommand({ name: 'die', description: 'roll a die, e.g. /die 6', usage: '/die <sides>' })
@Injectable()
class RollCommand implements SlashCommandHandler {
  constructor(@Inject(Dice) private readonly dice: Dice) {}

  async run(args: string, context: CommandContext): Promise<void> {
    const sides = Number(args);
    if (!Number.isInteger(sides) || sides < 2) {
      context.reply(`usage: ${context.usage}`);
      return;
    }
    await Promise.resolve(); // commands may be async: the listener awaits them
    context.rewrite(`${context.user.name} rolled ${this.dice.roll(sides)} (d${sides})`);
  }
}

@Module({ providers: [Dice, RollCommand] })
class DiceModule {}

@SlashCommand({ name: 'die', description: 'a second /die' })
@Injectable()
class SecondRollCommand implements SlashCommandHandler {
  run(): void {}
}

@Module({ providers: [SecondRollCommand] })
class SecondDiceModule {}

describe('slash commands registered by another module (@SlashCommand)', () => {
  let server: TestApp;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startApp({}, { imports: [DiceModule] });
  });
  afterEach(async () => {
    await closeAll(clients.splice(0));
  });
  afterAll(async () => {
    await server.close();
  });

  it("should run the module's command with its injected service, and store what it rewrote", async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    const bob = await TestClient.joined(server.wsUrl, 'general', { name: 'Bob' });
    clients.push(alice, bob);
    alice.send('send', { room: 'general', text: '/die 6', clientId: 'r1' });
    expect(await alice.next('ack')).toMatchObject({ clientId: 'r1' });
    expect((await bob.next('message')).text).toBe('Alice rolled 6 (d6)');
    expect(server.app.get(Dice).rolls).toEqual(['d6']);
    alice.send('send', { room: 'general', text: '/die x', clientId: 'r2' });
    expect(await alice.next('notice')).toMatchObject({ clientId: 'r2', text: 'usage: /die <sides>' });
  });

  it('should list it in /help with the built-in commands', async () => {
    const alice = await TestClient.joined(server.wsUrl, 'general', { name: 'Alice' });
    clients.push(alice);
    alice.send('send', { room: 'general', text: '/help', clientId: 'h2' });
    const { text } = await alice.next('notice');
    for (const line of [
      '/die <sides>: roll a die, e.g. /die 6',
      '/me <action>',
      '/nick <new name>',
      '/help',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('should refuse to start when two modules register one name, naming both classes', async () => {
    await expect(startApp({}, { imports: [DiceModule, SecondDiceModule] })).rejects.toThrow(
      /Two slash commands are named \/die: RollCommand \(in DiceModule\) and SecondRollCommand \(in SecondDiceModule\)/,
    );
  });
});
