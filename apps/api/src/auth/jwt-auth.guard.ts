import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../common/app-exception';
import { AuthError, AuthException } from '../common/domain-errors';
import { ACCEPTS_FILES_COOKIE, IS_PUBLIC } from './public.decorator';

/** The global guard: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    if (this.reflector.get<boolean>(ACCEPTS_FILES_COOKIE, context.getHandler())) {
      context.switchToHttp().getRequest<{ acceptsFilesCookie?: boolean }>().acceptsFilesCookie = true;
    }
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error instanceof AppException) throw error;
    if (user) return user;
    const reason = info instanceof Error ? info.message : '';
    if (/no auth token/i.test(reason)) {
      throw new AuthException(AuthError.TokenMissing, 'Sign in first: no access token was sent');
    }
    const expired = info instanceof Error && info.name === 'TokenExpiredError';
    throw new AuthException(
      AuthError.TokenInvalid,
      expired ? 'The access token has expired; refresh it' : 'The access token is not valid',
    );
  }
}
