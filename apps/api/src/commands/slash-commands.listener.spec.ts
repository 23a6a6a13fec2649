import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessagePostingEvent } from '../core/events/message-posting.event.js';
import { ForbiddenError } from '../common/errors/chat-errors.js';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from './slash-command.js';
import { SlashCommandsListener } from './slash-commands.listener.js';
import { SlashCommandsModule } from './slash-commands.module.js';

const guest = { id: 'g1', name: 'Alice', guest: true };

function posting(text: string, renamed: string[] = []) {
  return new MessagePostingEvent('general', guest, text, 'c1', (name) => renamed.push(name));
}

/** A service of another module, injected into its command. */
@Injectable()
class Dice {
  roll(): number {
    return 4;
  }
}

@SlashCommand({ name: 'roll', description: 'roll a die', usage: '/roll d6' })
@Injectable()
class RollCommand implements SlashCommandHandler {
  constructor(@Inject(Dice) private readonly dice: Dice) {}

  async run(args: string, context: CommandContext): Promise<void> {
    await Promise.resolve();
    if (args === 'keep') context.keep();
    else if (args === 'deny') throw new ForbiddenError('registered users only');
    else if (args === 'crash') throw new Error('boom');
    else context.reply(`${context.user.name} rolled ${this.dice.roll()}`);
  }
}

@Module({ providers: [Dice, RollCommand] })
class DiceModule {}

@SlashCommand({ name: 'roll', description: 'another roll' })
@Injectable()
class OtherRollCommand implements SlashCommandHandler {
  run(): void {}
}

@Module({ providers: [OtherRollCommand] })
class OtherDiceModule {}

async function listenerOf(...imports: (typeof DiceModule)[]): Promise<SlashCommandsListener> {
  const moduleRef = await Test.createTestingModule({ imports: [SlashCommandsModule, ...imports] }).compile();
  await moduleRef.init();
  return moduleRef.get(SlashCommandsListener);
}

describe(SlashCommandsListener.name, () => {
  let sut: SlashCommandsListener;

  beforeAll(async () => {
    sut = await listenerOf(DiceModule);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should leave ordinary messages alone', async () => {
    const event = posting('hello /me');
    await sut.handle(event);
    expect([event.text, event.swallowed, event.replies]).toEqual(['hello /me', false, []]);
  });

  it('should rewrite /me and keep it', async () => {
    const event = posting('/me  waves  ');
    await sut.handle(event);
    expect(event.text).toBe('* Alice waves');
    expect(event.swallowed).toBe(false);
  });

  it('should answer /help privately with every registered command, and swallow it, case-insensitively', async () => {
    const event = posting('/HELP');
    await sut.handle(event);
    expect(event.swallowed).toBe(true);
    for (const line of [
      '/help: list the commands',
      '/me <action>',
      '/nick <new name>',
      '/roll d6: roll a die',
    ]) {
      expect(event.replies[0]).toContain(line);
    }
  });

  it('should pass /nick to the sender rename', async () => {
    const renamed: string[] = [];
    const event = posting('/nick Zoe', renamed);
    await sut.handle(event);
    expect(renamed).toEqual(['Zoe']);
    expect(event.replies).toEqual(['you are now Zoe']);
  });

  it('should show usage for a command without its argument', async () => {
    const event = posting('/me');
    await sut.handle(event);
    expect(event.replies).toEqual(['usage: /me <action>']);
    expect(event.swallowed).toBe(true);
  });

  it('should refuse unknown commands and unescape //', async () => {
    const unknown = posting('/shrug ok');
    await sut.handle(unknown);
    expect(unknown.replies[0]).toContain('unknown command /shrug');
    expect(unknown.swallowed).toBe(true);
    const literal = posting('//shrug');
    await sut.handle(literal);
    expect([literal.text, literal.swallowed]).toEqual(['/shrug', false]);
  });

  it("should run another module's command with its injected services, awaited", async () => {
    const event = posting('/roll');
    await sut.handle(event);
    expect(event.replies).toEqual(['Alice rolled 4']);
    expect(event.swallowed).toBe(true);
    const kept = posting('/roll keep');
    await sut.handle(kept);
    expect([kept.text, kept.swallowed]).toEqual(['/roll keep', false]);
  });

  it('should answer a domain error with its message, and a crash with a failure, never storing either', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const denied = posting('/roll deny');
    await sut.handle(denied);
    expect([denied.replies, denied.swallowed]).toEqual([['registered users only'], true]);
    const crashed = posting('/roll crash');
    await sut.handle(crashed);
    expect([crashed.replies, crashed.swallowed]).toEqual([['/roll failed on the server; try again'], true]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('RollCommand'));
  });

  it('should refuse to start with two commands of one name, naming both classes', async () => {
    await expect(listenerOf(DiceModule, OtherDiceModule)).rejects.toThrow(
      /Two slash commands are named \/roll: OtherRollCommand \(in OtherDiceModule\) and RollCommand \(in DiceModule\)/,
    );
  });
});
