import { Inject, Injectable } from '@nestjs/common';
import { AuthTokens, FILES_COOKIE, REFRESH_COOKIE_NAME, REFRESH_COOKIE_PATH } from '@parley/contracts';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SESSION_TTL_MS } from './sessions.service';

/**
 * The value of cookie `name` in a Cookie header, or null. Parsed here rather than with a cookie
 * middleware: this one cookie, on a handful of routes, is all the api reads.
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      return null; // not something we set
    }
    return value || null;
  }
  return null;
}

/** Where the browser sends FILES_COOKIE: the file routes alone (and only the content route reads it). */
export const FILES_COOKIE_PATH = '/api/files';

/**
 * The browser's refresh token, in a cookie the page's scripts cannot read (HttpOnly), that no
 * other site can make the browser send (SameSite=Strict), and that goes only to the auth routes
 * (Path=/api/auth). A script injected into the page can then use the session while it runs but
 * never carry the long-lived credential away.
 */
@Injectable()
export class RefreshCookie {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  read(request: Request): string | null {
    return readCookie(request.headers.cookie, REFRESH_COOKIE_NAME);
  }

  /**
   * Puts the refresh token in the cookie and returns the rest of the answer, without it. The
   * access token goes into FILES_COOKIE too (Path=/api/files, living as long as the token), so
   * that `<img src>` of a file works in the page without an Authorization header.
   */
  deliver<T extends AuthTokens>(request: Request, response: Response, tokens: T): Omit<T, 'refreshToken'> {
    const { refreshToken, ...rest } = tokens;
    response.cookie(REFRESH_COOKIE_NAME, refreshToken, { ...this.options(request), maxAge: SESSION_TTL_MS });
    response.cookie(FILES_COOKIE, tokens.accessToken, { ...this.options(request, FILES_COOKIE_PATH), maxAge: tokens.expiresIn * 1000 });
    return rest;
  }

  clear(request: Request, response: Response): void {
    response.clearCookie(REFRESH_COOKIE_NAME, this.options(request));
    response.clearCookie(FILES_COOKIE, this.options(request, FILES_COOKIE_PATH));
  }

  /**
   * Secure whenever the person reaches us over https (the request says so, through a trusted
   * proxy's X-Forwarded-Proto, or PUBLIC_URL is https). Over plain http it is left out on purpose:
   * a browser drops a Secure cookie set over http (the quick start at http://localhost:3000, an
   * intranet address), so the person could never stay signed in.
   */
  private options(request: Request, path = REFRESH_COOKIE_PATH): CookieOptions {
    return {
      httpOnly: true,
      secure: request.secure || this.config.publicUrl.startsWith('https:'),
      sameSite: 'strict',
      path,
    };
  }
}
