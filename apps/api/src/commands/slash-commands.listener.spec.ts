import { describe, expect, it } from '@jest/globals';
import { MessagePostingEvent } from '../chat/events/message-posting.event.js';
import { HelpCommand } from './help.command.js';
import { MeCommand } from './me.command.js';
import { NickCommand } from './nick.command.js';
import type { SlashCommand } from './slash-command.js';
import { SlashCommandsListener } from './slash-commands.listener.js';

const guest = { id: 'g1', name: 'Alice', guest: true };

function posting(text: string, renamed: string[] = []) {
  return new MessagePostingEvent('general', guest, text, 'c1', (name) => renamed.push(name));
}

describe(SlashCommandsListener.name, () => {
  const commands: SlashCommand[] = [new MeCommand(), new NickCommand()];
  commands.unshift(new HelpCommand(() => commands));
  const sut = new SlashCommandsListener(commands);

  it('should leave ordinary messages alone', () => {
    const event = posting('hello /me');
    sut.handle(event);
    expect([event.text, event.swallowed, event.replies]).toEqual(['hello /me', false, []]);
  });

  it('should rewrite /me and keep it', () => {
    const event = posting('/me  waves  ');
    sut.handle(event);
    expect(event.text).toBe('* Alice waves');
    expect(event.swallowed).toBe(false);
  });

  it('should answer /help privately and swallow it, case-insensitively', () => {
    const event = posting('/HELP');
    sut.handle(event);
    expect(event.swallowed).toBe(true);
    expect(event.replies[0]).toContain('/nick <new name>');
  });

  it('should pass /nick to the sender rename', () => {
    const renamed: string[] = [];
    const event = posting('/nick Zoe', renamed);
    sut.handle(event);
    expect(renamed).toEqual(['Zoe']);
    expect(event.replies).toEqual(['you are now Zoe']);
  });

  it('should show usage for a command without its argument', () => {
    const event = posting('/me');
    sut.handle(event);
    expect(event.replies).toEqual(['usage: /me <action>']);
    expect(event.swallowed).toBe(true);
  });

  it('should refuse unknown commands and unescape //', () => {
    const unknown = posting('/shrug ok');
    sut.handle(unknown);
    expect(unknown.replies[0]).toContain('unknown command /shrug');
    const literal = posting('//shrug');
    sut.handle(literal);
    expect([literal.text, literal.swallowed]).toEqual(['/shrug', false]);
  });
});
