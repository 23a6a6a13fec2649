import { Injectable } from '@nestjs/common';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from '../../commands/slash-command.js';
import { roll } from './dice.js';

/** `/roll 2d6` is stored as "Alice rolled 2d6: 3 + 5 = 8", so the whole room sees the same roll. */
@SlashCommand({ name: 'roll', usage: '/roll NdM', description: 'roll dice for the room, e.g. /roll 2d6' })
@Injectable()
export class RollCommand implements SlashCommandHandler {
  run(args: string, context: CommandContext): void {
    const { dice, sides, rolls, total } = roll(args === '' ? '1d6' : args);
    const shown = rolls.length === 1 ? `${total}` : `${rolls.join(' + ')} = ${total}`;
    context.rewrite(`${context.user.name} rolled ${dice}d${sides}: ${shown}`);
  }
}
