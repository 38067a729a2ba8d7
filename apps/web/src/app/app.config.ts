import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';

import { routes } from './app.routes';
import { authInterceptor } from './core/auth/auth-interceptor';
import { uploadProgressInterceptor } from './core/http/upload-progress';
import { AuthSession } from './core/auth/auth-session';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor, uploadProgressInterceptor])),
    // The access token lives in memory only: after a reload the session comes back from the
    // HttpOnly refresh cookie before the first page is chosen (the guards see the outcome).
    provideAppInitializer(() => inject(AuthSession).restore()),
  ],
};
