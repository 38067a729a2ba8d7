import { inject } from '@angular/core';
import { CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth-store';

/** Signed-in pages: anyone else goes to /sign-in, coming back here afterwards. */
export const signedInGuard: CanMatchFn = () => {
  if (inject(AuthStore).isSignedIn()) return true;
  const router = inject(Router);
  const target = router.currentNavigation()?.extractedUrl;
  const returnUrl = target ? router.serializeUrl(target) : '/';
  return router.createUrlTree(['/sign-in'], returnUrl === '/' ? {} : { queryParams: { returnUrl } });
};

/** /sign-in: people who are signed in already go to the app. */
export const signedOutGuard: CanMatchFn = () => (inject(AuthStore).isSignedIn() ? inject(Router).createUrlTree(['/']) : true);

/** Only same-app paths are followed after sign-in (no open redirect). */
export function safeReturnUrl(value: string | null | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}
