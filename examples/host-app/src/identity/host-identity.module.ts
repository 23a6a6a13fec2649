import { Module } from '@nestjs/common';
import { HostKeys } from './host-keys.js';
import { SignInController } from './sign-in.controller.js';

/** The host app's users: its keys, its sign-in, its JWKS. The chat knows none of it but the URL. */
@Module({
  controllers: [SignInController],
  providers: [{ provide: HostKeys, useFactory: () => HostKeys.generate() }],
  exports: [HostKeys],
})
export class HostIdentityModule {}
