import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { BusModule } from '../bus/bus.module.js';
import { HttpIdentityGuard } from './http-identity.guard.js';
import { AppConfigService } from '../config/app-config.service.js';
import { StorageModule } from '../storage/storage.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { IdentityService } from './identity.service.js';
import { resolveJwtSecret } from './jwt-secret.js';
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
  providers: [AuthService, TokenService, IdentityService, HttpIdentityGuard, SignInThrottleGuard],
  exports: [IdentityService, TokenService, HttpIdentityGuard, ApiKeysModule],
})
export class AuthModule {}
