import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { BusModule } from '../bus/bus.module.js';
import { HttpIdentityGuard } from './http-identity.guard.js';
import { AppConfigService } from '../config/app-config.service.js';
import { StorageModule } from '../storage/storage.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { ChatIdentity } from './chat-identity.js';
import {
  EXTERNAL_TOKEN_VERIFIER,
  GIVEN_TOKEN_VERIFIER,
  type ExternalTokenVerifier,
} from './external-token-verifier.js';
import { JoseTokenVerifier } from './jose-token-verifier.js';
import { IdentityService } from './identity.service.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { PasswordHasher } from './password-hasher.js';
import { SignInThrottleGuard } from './sign-in-throttle.guard.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    StorageModule,
    BusModule,
    ApiKeysModule,
    JwtModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        secret: resolveJwtSecret(config.get('JWT_SECRET'), config.get('DATA_DIR')),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    TokenService,
    IdentityService,
    ChatIdentity,
    HttpIdentityGuard,
    SignInThrottleGuard,
    // The host app's tokens: the embedder's verifier, else the AUTH_* variables', else none.
    {
      provide: EXTERNAL_TOKEN_VERIFIER,
      inject: [AppConfigService, { token: GIVEN_TOKEN_VERIFIER, optional: true }],
      useFactory: (config: AppConfigService, given: ExternalTokenVerifier | undefined) =>
        given ?? JoseTokenVerifier.fromConfig(config.all),
    },
  ],
  exports: [IdentityService, TokenService, HttpIdentityGuard, ChatIdentity, ApiKeysModule],
})
export class AuthModule {}
