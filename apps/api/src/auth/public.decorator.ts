import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'parley:public';

/** Marks a route as open without sign-in. Every other route needs a valid access token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const ACCEPTS_FILES_COOKIE = 'parley:accepts-files-cookie';

/**
 * The route also takes the access token from the HttpOnly FILES_COOKIE when no bearer token is
 * sent, so that `<img src>` and `<video src>` work in the browser. Only for GET routes that
 * return a file's bytes: the cookie is SameSite=Strict and scoped to /api/files, and no route
 * that changes anything reads it.
 */
export const AcceptsFilesCookie = () => SetMetadata(ACCEPTS_FILES_COOKIE, true);
