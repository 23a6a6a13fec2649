import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { GreeterService } from './greeter.service.js';

/** The host app's back office tells the greeter what to say (its own auth would guard this). */
@Controller('greeter')
export class GreeterController {
  constructor(private readonly greeter: GreeterService) {}

  @Post('announce')
  @HttpCode(201)
  async announce(
    @Body() body: { room?: unknown; text?: unknown; id?: unknown },
  ): Promise<{ id: string } | null> {
    const { room, text, id } = body ?? {};
    if (typeof room !== 'string' || typeof text !== 'string')
      throw new BadRequestException('room and text: strings');
    const message = await this.greeter.announce(room, text, typeof id === 'string' ? id : undefined);
    return message ? { id: message.id } : null;
  }
}
