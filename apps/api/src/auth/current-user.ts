import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling: set on the request by the JWT guard. */
export interface AuthUser {
  userId: string;
  sessionId: string;
}

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

/** The client facts recorded with a session and in the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<{ ip?: string; headers: Record<string, string | undefined> }>();
  return {
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
  };
});
