import { DOCUMENT } from '@angular/common';
import { HttpEventType } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AVATAR_MAX_BYTES, CommonErrorCode, DISPLAY_NAME_MAX_LENGTH, FileErrorCode, type UserDto } from '@parley/contracts';
import type { Subscription } from 'rxjs';

import { AuthStore } from '@web/core/auth/auth-store';
import { type ApiError, isNetworkError, toApiError } from '@web/core/http/api-error';
import { avatarColour, avatarSrc, pixelRatio } from '@web/core/users/avatar-picture';
import { UsersApi } from '@web/core/users/users-api';
import { Spinner } from '@web/ui/spinner';

import { initials } from '../initials';

import { ReadReceiptsSwitch } from './read-receipts-switch';

/** How big the profile page shows one's picture (CSS pixels). */
const PICTURE_PX = 80;
const MAX_MB = AVATAR_MAX_BYTES / (1024 * 1024);

/** What the person reads when a picture could not be changed, by the API's code (then its status). */
export function pictureErrorText(error: ApiError): string {
  if (error.code === FileErrorCode.TooLarge || error.status === 413)
    return `That picture is too large: use one of at most ${MAX_MB} MB.`;
  if (error.code === FileErrorCode.UploadInvalid)
    return 'That file is not a picture Parley can read. Use a PNG, JPEG, WebP, GIF, AVIF or TIFF image.';
  if (error.code === CommonErrorCode.RateLimited || error.status === 429) {
    const wait = error.retryAfterSeconds;
    return `You are changing your picture too often. Try again ${wait ? `in ${wait} second${wait === 1 ? '' : 's'}` : 'in a moment'}.`;
  }
  if (error.code === FileErrorCode.StorageUnavailable) return 'File storage is unavailable. Try again in a moment.';
  if (isNetworkError(error)) return 'Cannot reach Parley. Check your connection.';
  return `Could not change your picture. ${error.message ?? 'Try again in a moment.'}`;
}

/**
 * Who you are to your teammates: your profile picture, your display name (your email is fixed),
 * and whether you send read receipts.
 */
@Component({
  selector: 'app-profile',
  imports: [ReadReceiptsSwitch, Spinner],
  templateUrl: './profile.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class Profile {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly user = this.auth.user;
  protected readonly nameMax = DISPLAY_NAME_MAX_LENGTH;
  protected readonly name = signal(this.auth.user()?.displayName ?? '');
  protected readonly nameError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly status = signal('');
  protected readonly saving = signal(false);

  protected readonly pictureMaxMb = MAX_MB;
  private readonly view = inject(DOCUMENT).defaultView;
  protected readonly picturePx = PICTURE_PX;
  protected readonly pictureSrc = computed(() => avatarSrc(this.user()?.avatarUrl, PICTURE_PX, pixelRatio(this.view)));
  /** The address that failed to load: the initials are shown instead. */
  protected readonly pictureFailed = signal<string | null>(null);
  protected readonly pictureShown = computed(() => {
    const src = this.pictureSrc();
    return src && src !== this.pictureFailed() ? src : null;
  });
  protected readonly letters = computed(() => initials(this.user()?.displayName ?? ''));
  protected readonly colour = computed(() => avatarColour(this.user()?.id || this.user()?.displayName || ''));
  protected readonly pictureBusy = signal<'uploading' | 'removing' | null>(null);
  /** 0..100 of the picture's bytes sent. */
  protected readonly pictureProgress = signal(0);
  protected readonly pictureError = signal<string | null>(null);
  protected readonly pictureStatus = signal('');
  private pictureRequest: Subscription | null = null;

  protected onPicture(picker: HTMLInputElement): void {
    const file = picker.files?.[0];
    picker.value = ''; // the same file may be picked again after a failure
    if (!file || this.pictureBusy()) return;
    this.pictureStatus.set('');
    if (file.size > AVATAR_MAX_BYTES) {
      this.pictureError.set(`That picture is too large: use one of at most ${MAX_MB} MB.`);
      return;
    }
    this.pictureError.set(null);
    this.pictureBusy.set('uploading');
    this.pictureProgress.set(0);
    this.pictureRequest = this.api
      .uploadAvatar(file)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (event) => {
          if (event.type === HttpEventType.UploadProgress) {
            const total = event.total ?? file.size;
            this.pictureProgress.set(total ? Math.min(100, Math.round((event.loaded / total) * 100)) : 0);
          } else if (event.type === HttpEventType.Response && event.body) {
            this.pictureDone(event.body, 'Picture saved. Your teammates see it now.');
          }
        },
        error: (error: unknown) => this.pictureFailedWith(error),
      });
  }

  /** Stops an upload on its way (the request is aborted; the old picture stays). */
  protected cancelPicture(): void {
    this.pictureRequest?.unsubscribe();
    this.pictureRequest = null;
    this.pictureBusy.set(null);
    this.pictureStatus.set('Upload cancelled.');
  }

  protected removePicture(): void {
    if (this.pictureBusy()) return;
    this.pictureError.set(null);
    this.pictureStatus.set('');
    this.pictureBusy.set('removing');
    this.pictureRequest = this.api
      .removeAvatar()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => this.pictureDone(user, 'Picture removed. Your initials are shown instead.'),
        error: (error: unknown) => this.pictureFailedWith(error),
      });
  }

  private pictureDone(user: UserDto, status: string): void {
    this.auth.setUser(user);
    this.pictureRequest = null;
    this.pictureBusy.set(null);
    this.pictureStatus.set(status);
  }

  private pictureFailedWith(error: unknown): void {
    this.pictureRequest = null;
    this.pictureBusy.set(null);
    this.pictureError.set(pictureErrorText(toApiError(error)));
  }

  protected onName(event: Event): void {
    this.name.set((event.target as HTMLInputElement).value);
    this.nameError.set(null);
    this.status.set('');
  }

  protected save(event: Event): void {
    event.preventDefault();
    if (this.saving()) return;
    const displayName = this.name().trim();
    if (!displayName) {
      this.nameError.set('Enter the name your teammates will see.');
      return;
    }
    if (displayName.length > DISPLAY_NAME_MAX_LENGTH) {
      this.nameError.set(`Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`);
      return;
    }
    this.error.set(null);
    this.saving.set(true);
    this.api
      .updateMe({ displayName })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.auth.setUser(user);
          this.name.set(user.displayName);
          this.saving.set(false);
          this.status.set('Saved. Your teammates see your new name now.');
        },
        error: (error: unknown) => {
          this.saving.set(false);
          const apiError = toApiError(error);
          const field = apiError.fields.find((f) => f.field === 'displayName');
          if (field) this.nameError.set(field.errors.join(' '));
          else this.error.set(isNetworkError(apiError) ? 'Cannot reach Parley. Check your connection.' : `Could not save your name. ${apiError.message ?? 'Try again in a moment.'}`);
        },
      });
  }
}
