import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ChangePasswordRequestSchema,
  GuestRequestSchema,
  LoginRequestSchema,
  RegisterRequestSchema,
  type AuthResponse,
  type ChangePasswordRequest,
  type GuestRequest,
  type LoginRequest,
  type RegisterRequest,
  type SessionResponse,
  type User,
} from '@chat/contracts';
import type { Request, Response } from 'express';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { HttpIdentityGuard } from './http-identity.guard.js';
import { Registered } from './registered.decorator.js';
import { RequestUser } from './request-user.decorator.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { AppConfigService } from '../config/app-config.service.js';
import { AuthService } from './auth.service.js';
import { IdentityService } from './identity.service.js';
import { SignInThrottleGuard } from './sign-in-throttle.guard.js';
import { sessionCookieOptions } from './session-cookie.js';
import { TokenService } from './token.service.js';

@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly identity: IdentityService,
    private readonly config: AppConfigService,
  ) {}

  @Post('auth/register')
  @UseGuards(SignInThrottleGuard)
  async register(
    @Body(new ZodValidationPipe(RegisterRequestSchema)) body: RegisterRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse> {
    return this.withCookie(await this.auth.register(body), request, response);
  }

  @Post('auth/login')
  @HttpCode(200)
  @UseGuards(SignInThrottleGuard)
  async login(
    @Body(new ZodValidationPipe(LoginRequestSchema)) body: LoginRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse> {
    return this.withCookie(await this.auth.login(body), request, response);
  }

  @Post('auth/guest')
  @HttpCode(200)
  @UseGuards(SignInThrottleGuard)
  guest(
    @Body(new ZodValidationPipe(GuestRequestSchema)) body: GuestRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): AuthResponse {
    return this.withCookie(this.auth.guest(body.name), request, response);
  }

  /**
   * Signs out everywhere: every token of the account stops working. Always answers 204 and drops
   * the cookie, also for a token that is expired or revoked already (signing out must never fail).
   */
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    response.clearCookie(this.config.get('AUTH_COOKIE_NAME'), sessionCookieOptions(this.isSecure(request)));
    const session = await this.identity.fromToken(request).catch((error: unknown) => {
      if (error instanceof UnauthorizedError) return undefined;
      throw error;
    });
    if (session) await this.auth.logout(session.user);
  }

  /** Needs the current password as well as a token: a stolen session must not take the account. */
  @Post('auth/password')
  @HttpCode(200)
  // Above UseGuards on purpose: decorators apply bottom-up, and this guard needs the user.
  @Registered()
  @UseGuards(HttpIdentityGuard, SignInThrottleGuard)
  async changePassword(
    @RequestUser() user: User,
    @Body(new ZodValidationPipe(ChangePasswordRequestSchema)) body: ChangePasswordRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse> {
    return this.withCookie(await this.auth.changePassword(user, body), request, response);
  }

  @Get('me')
  @UseGuards(HttpIdentityGuard)
  me(@RequestUser() user: User): User {
    return user;
  }

  /**
   * "Who am I" for a page that may have no session yet: 200 `{user: null}` rather than a 401, so
   * a first visit logs no error. A token that no longer works (expired, revoked) is dropped.
   */
  @Get('session')
  async session(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponse> {
    const session = await this.identity.fromToken(request).catch((error: unknown) => {
      if (error instanceof UnauthorizedError) return undefined;
      throw error;
    });
    if (!session)
      response.clearCookie(this.config.get('AUTH_COOKIE_NAME'), sessionCookieOptions(this.isSecure(request)));
    return { user: session?.user ?? null };
  }

  private withCookie(session: AuthResponse, request: Request, response: Response): AuthResponse {
    response.cookie(
      this.config.get('AUTH_COOKIE_NAME'),
      session.token,
      sessionCookieOptions(this.isSecure(request), this.tokens.ttlSeconds),
    );
    return session;
  }

  /** Secure cookies whenever the browser talks https to us (directly, or through a TLS proxy). */
  private isSecure(request: Request): boolean {
    return Boolean(this.config.get('TLS_CERT')) || request.secure;
  }
}
