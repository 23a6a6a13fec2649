import { Inject, Injectable } from '@nestjs/common';
import { SlashCommand, type CommandContext, type SlashCommandHandler } from '../../commands/slash-command.js';
import { BadRequestError, ForbiddenError } from '../../common/errors/chat-errors.js';
import { RoomModeration } from '../../core/index.js';
import { USER_STORE, type UserStore } from '../../storage/user-store.js';

/**
 * `/kick bob`: removes bob from this room as `DELETE /api/rooms/:room/members/bob` does, so the
 * same roles hold (owners and moderators only, and nobody but an owner removes an owner): a
 * command is one more door, not a way around the rules. Bob's connections leave the room on
 * every instance and are told `room.removed`. Registered targets only: a guest's name is not
 * unique, so it cannot say whom to remove.
 */
@SlashCommand({
  name: 'kick',
  usage: '/kick <username>',
  description: 'remove a member from this room (owners and moderators)',
})
@Injectable()
export class KickCommand implements SlashCommandHandler {
  constructor(
    private readonly moderation: RoomModeration,
    @Inject(USER_STORE) private readonly users: UserStore,
  ) {}

  async run(args: string, context: CommandContext): Promise<void> {
    if (context.user.guest) throw new ForbiddenError('only registered users can kick: sign in first');
    if (args === '' || /\s/.test(args)) throw new BadRequestError(`usage: ${context.usage}`);
    const target = await this.users.findByUsername(args);
    if (!target) throw new BadRequestError(`there is no registered user named ${args}`);
    if (target.id === context.user.id)
      throw new BadRequestError('you cannot kick yourself: leave the room instead');
    await this.moderation.remove(context.room, context.user, target.username);
    context.reply(`${target.username} was removed from ${context.room}`);
  }
}
