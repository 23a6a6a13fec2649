import { Controller, Get } from '@nestjs/common';

/** A route of the host app's own, next to the chat's /api. */
@Controller('hello')
export class HelloController {
  @Get()
  hello(): { hello: string } {
    return { hello: 'from the host app' };
  }
}
