import { DestroyRef, type Signal, type WritableSignal, inject, signal } from '@angular/core';
import type { Observable, Subscription } from 'rxjs';

/** What a page loads, as signals. */
export interface LoadedResource<T> {
  /**
   * The value: null until it has loaded (and while it loads again). Writable like Angular's
   * `resource().value`, so the page can apply its own changes (a row removed, a role saved)
   * without loading again.
   */
  readonly value: WritableSignal<T | null>;
  readonly loading: Signal<boolean>;
  /** Why it did not load, as the sentence the page shows; null otherwise. */
  readonly error: Signal<string | null>;
  /** Loads again from the start, dropping a request still on its way ("Try again", new filters). */
  reload(): void;
}

/**
 * The one loading idiom of the admin and account pages: loads at once, again on `reload()`, and
 * stops listening when the page goes. Angular's `rxResource` does the same but is still
 * experimental in Angular 21 and starts its request from an effect (a tick later), which the
 * pages and their specs do not need.
 */
export function loadResource<T>(load: () => Observable<T>, describeError: (error: unknown) => string): LoadedResource<T> {
  const value = signal<T | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  let request: Subscription | null = null;

  const reload = (): void => {
    request?.unsubscribe();
    error.set(null);
    value.set(null);
    loading.set(true);
    request = load().subscribe({
      next: (loaded) => {
        value.set(loaded);
        loading.set(false);
      },
      error: (failure: unknown) => {
        error.set(describeError(failure));
        loading.set(false);
      },
    });
  };

  inject(DestroyRef).onDestroy(() => request?.unsubscribe());
  reload();
  return { value, loading: loading.asReadonly(), error: error.asReadonly(), reload };
}
