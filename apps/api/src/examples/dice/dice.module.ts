import { Module } from '@nestjs/common';
import { RollCommand } from './roll.command.js';

/** Example: the smallest module there is, one slash command (`/roll 2d6`) and nothing else. */
@Module({ providers: [RollCommand] })
export class DiceModule {}
