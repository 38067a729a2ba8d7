import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UsersModule } from '../users/users.module';
import { AccessTokenVerifier } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { jwtKey, JwtStrategy } from './jwt.strategy';
import { RefreshCookie } from './refresh-cookie';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';
import { SignInCodeRepository } from './sign-in-code.repository';
import { SignInCodesService } from './sign-in-codes.service';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A KeyObject: given a string, jsonwebtoken first tries it as a public key on every call (slow).
      useFactory: (config: AppConfig) => ({ secret: jwtKey(config) as unknown as Buffer, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AccessTokenVerifier,
    AuthService,
    SessionRepository,
    SessionsService,
    SignInCodeRepository,
    SignInCodesService,
    RefreshCookie,
    JwtStrategy,
  ],
  exports: [SessionsService, JwtModule, AccessTokenVerifier],
})
export class AuthModule {}
