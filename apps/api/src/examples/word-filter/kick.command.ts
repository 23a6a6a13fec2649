import { Inject, Injectable } from '@nestjs/common';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from '../../commands/slash-command.js';
import { BadRequestError, ForbiddenError } from '../../common/errors/chat-errors.js';
import { ChatCore } from '../../core/index.js';
import { USER_STORE, type UserStore } from '../../storage/user-store.js';

/**
 * `/kick bob`: bob's connections leave this room on every instance (ChatCore.kick travels on the
 * bus) and are told `room.removed`. Registered users only, and only registered targets: a guest's
 * name is not unique, so it cannot say whom to remove.
 */
@SlashCommand({
  name: 'kick',
  usage: '/kick <username>',
  description: 'remove a registered user from this room (registered users only)',
})
@Injectable()
export class KickCommand implements SlashCommandHandler {
  constructor(
    private readonly core: ChatCore,
    @Inject(USER_STORE) private readonly users: UserStore,
  ) {}

  async run(args: string, context: CommandContext): Promise<void> {
    if (context.user.guest) throw new ForbiddenError('only registered users can kick: sign in first');
    if (args === '' || /\s/.test(args)) throw new BadRequestError(`usage: ${context.usage}`);
    const target = await this.users.findByUsername(args);
    if (!target) throw new BadRequestError(`there is no registered user named ${args}`);
    if (target.id === context.user.id)
      throw new BadRequestError('you cannot kick yourself: leave the room instead');
    this.core.kick(context.room, target.id, `kicked by ${context.user.name}`);
    context.reply(`${target.username} was removed from ${context.room}`);
  }
}
