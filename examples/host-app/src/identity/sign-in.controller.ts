import { BadRequestException, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { HostKeys } from './host-keys.js';

/**
 * The host app's own sign-in. A demo: it trusts the name it is given, where a real app checks
 * its own passwords or SSO. What matters is the token: the chat accepts it as it is.
 */
@Controller()
export class SignInController {
  constructor(private readonly keys: HostKeys) {}

  @Post('auth/sign-in')
  @HttpCode(200)
  async signIn(@Body() body: { username?: unknown }): Promise<{ token: string }> {
    const username = body?.username;
    if (typeof username !== 'string' || !/^[a-z0-9_-]{1,32}$/.test(username)) {
      throw new BadRequestException('username: 1-32 characters of a-z, 0-9, _ or -');
    }
    return { token: await this.keys.issue({ id: `member-${username}`, name: username }) };
  }

  /** The chat fetches this (AUTH_JWKS_URL) to check the tokens above. */
  @Get('.well-known/jwks.json')
  jwks(): ReturnType<HostKeys['jwks']> {
    return this.keys.jwks();
  }
}
