import { HttpInterceptorFn, HttpXhrBackend } from '@angular/common/http';
import { inject } from '@angular/core';

/**
 * The app talks to the API with fetch (withFetch), which cannot report upload progress. A request
 * that asks for progress and carries a body (a file upload) goes through XMLHttpRequest instead,
 * whose `upload.onprogress` feeds the progress bars. Listed last, so the auth interceptor has added
 * the bearer (and retries after a refresh through here as well). Unsubscribing aborts it.
 */
export const uploadProgressInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.reportProgress || req.body === null || req.method === 'GET') return next(req);
  return inject(HttpXhrBackend).handle(req);
};
