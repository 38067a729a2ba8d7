import { HttpHeaders, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { AVATAR_MAX_BYTES, CommonErrorCode, FileErrorCode, type UserDto } from '@parley/contracts';
import { alerts, button } from '@web/testing/dom';

import { AuthStore } from '@web/core/auth/auth-store';
import { Profile } from './profile';

const ME: UserDto = { id: 'u1', email: 'ana@example.com', displayName: 'Ana Lima', avatarUrl: null, statusText: null, createdAt: '2026-01-01T00:00:00.000Z', readReceipts: true };
const AVATAR = '/api/files/avatars/u1/a1';

describe('Profile picture', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<Profile>;
  let el: HTMLElement;
  const user = signal<UserDto>(ME);

  beforeEach(async () => {
    user.set(ME);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: AuthStore, useValue: { user, setUser: (u: UserDto) => user.set(u) } }],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Profile);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  const picture = () => el.querySelector<HTMLImageElement>('[data-testid="profile-picture"]');
  const initials = () => el.querySelector('[data-testid="profile-initials"]');
  const status = () => el.querySelector('section [role="status"]')?.textContent?.trim() ?? '';
  const section = () => el.querySelector<HTMLElement>('section[aria-labelledby="profile-picture-title"]')!;

  async function pick(file: File): Promise<void> {
    const input = el.querySelector<HTMLInputElement>('[data-testid="profile-picture-input"]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  const png = (bytes = 5) => new File([new Uint8Array(bytes)], 'me.png', { type: 'image/png' });

  it('shows the initials while there is no picture, with an image-only file input and no Remove', () => {
    expect(section().querySelector('h2')?.textContent).toContain('Profile picture');
    expect(picture()).toBeNull();
    expect(initials()?.textContent?.trim()).toBe('AL');
    expect(el.querySelector('[data-testid="profile-picture-input"]')?.getAttribute('accept')).toBe('image/*');
    expect(() => button(section(), 'Upload picture')).not.toThrow();
    expect(() => button(section(), 'Remove')).toThrow();
  });

  it('uploads the picked image as multipart `file` with a progress bar, then shows it at once', async () => {
    const file = png();
    await pick(file);
    const req = http.expectOne({ method: 'PUT', url: '/api/users/me/avatar' });
    const body = req.request.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect((body.get('file') as File).name).toBe('me.png');
    expect(req.request.reportProgress).toBe(true);
    expect(button(section(), /Uploading/).disabled).toBe(true);
    expect(section().querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('0');

    req.event({ type: 1, loaded: 3, total: 5 });
    await fixture.whenStable();
    expect(section().querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('60');

    req.flush({ ...ME, avatarUrl: AVATAR });
    await fixture.whenStable();
    expect(user().avatarUrl).toBe(AVATAR);
    expect(picture()?.getAttribute('src')).toBe(`${AVATAR}?size=128`);
    expect(initials()).toBeNull();
    expect(section().querySelector('[role="progressbar"]')).toBeNull();
    expect(status()).toContain('Picture saved.');
    expect(button(section(), 'Upload picture').disabled).toBe(false);
    expect(() => button(section(), 'Remove')).not.toThrow();
  });

  it('Remove deletes the picture and the initials come back', async () => {
    user.set({ ...ME, avatarUrl: AVATAR });
    await fixture.whenStable();
    expect(picture()).not.toBeNull();
    button(section(), 'Remove').click();
    await fixture.whenStable();
    const req = http.expectOne({ method: 'DELETE', url: '/api/users/me/avatar' });
    expect(button(section(), /Removing/).disabled).toBe(true);
    req.flush({ ...ME, avatarUrl: null });
    await fixture.whenStable();
    expect(user().avatarUrl).toBeNull();
    expect(picture()).toBeNull();
    expect(initials()?.textContent?.trim()).toBe('AL');
    expect(status()).toContain('Picture removed.');
  });

  it('413 FILE_TOO_LARGE says how large a picture may be; the old picture stays', async () => {
    user.set({ ...ME, avatarUrl: AVATAR });
    await pick(png());
    http
      .expectOne({ method: 'PUT', url: '/api/users/me/avatar' })
      .flush({ statusCode: 413, error: 'Payload Too Large', message: 'The file is larger than 10485760 bytes', code: FileErrorCode.TooLarge }, { status: 413, statusText: 'Payload Too Large' });
    await fixture.whenStable();
    expect(alerts(section())).toEqual(['That picture is too large: use one of at most 10 MB.']);
    expect(user().avatarUrl).toBe(AVATAR);
    expect(picture()).not.toBeNull();
    expect(button(section(), 'Upload picture').disabled).toBe(false);
  });

  it('a picture past the limit is refused before it is sent', async () => {
    await pick(png(AVATAR_MAX_BYTES + 1));
    http.expectNone('/api/users/me/avatar');
    expect(alerts(section())).toEqual(['That picture is too large: use one of at most 10 MB.']);
  });

  it('400 FILE_UPLOAD_INVALID (not an image) names the kinds of image that work', async () => {
    await pick(new File(['not really'], 'notes.png', { type: 'image/png' }));
    http
      .expectOne({ method: 'PUT', url: '/api/users/me/avatar' })
      .flush(
        { statusCode: 400, error: 'Bad Request', message: 'The picture is not an image Parley can read', code: FileErrorCode.UploadInvalid },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(alerts(section())).toEqual(['That file is not a picture Parley can read. Use a PNG, JPEG, WebP, GIF, AVIF or TIFF image.']);
    expect(user().avatarUrl).toBeNull();
  });

  it('429 says to wait, for as long as Retry-After says', async () => {
    await pick(png());
    http.expectOne({ method: 'PUT', url: '/api/users/me/avatar' }).flush(
      { statusCode: 429, error: 'Too Many Requests', message: 'You are changing your picture too often; try again in 42 s', code: CommonErrorCode.RateLimited },
      { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '42' }) },
    );
    await fixture.whenStable();
    expect(alerts(section())).toEqual(['You are changing your picture too often. Try again in 42 seconds.']);
    // The next try clears the message.
    await pick(png());
    expect(alerts(section())).toEqual([]);
    http.expectOne({ method: 'PUT', url: '/api/users/me/avatar' }).flush({ ...ME, avatarUrl: AVATAR });
    await fixture.whenStable();
    expect(picture()).not.toBeNull();
  });

  it('a failed Remove keeps the picture and says why', async () => {
    user.set({ ...ME, avatarUrl: AVATAR });
    await fixture.whenStable();
    button(section(), 'Remove').click();
    http
      .expectOne({ method: 'DELETE', url: '/api/users/me/avatar' })
      .flush({ statusCode: 429, error: 'Too Many Requests', message: 'slow down', code: CommonErrorCode.RateLimited }, { status: 429, statusText: 'Too Many Requests' });
    await fixture.whenStable();
    expect(alerts(section())).toEqual(['You are changing your picture too often. Try again in a moment.']);
    expect(picture()).not.toBeNull();
  });

  it('Cancel upload aborts the request and keeps the old picture', async () => {
    await pick(png());
    const req = http.expectOne({ method: 'PUT', url: '/api/users/me/avatar' });
    button(section(), 'Cancel upload').click();
    await fixture.whenStable();
    expect(req.cancelled).toBe(true);
    expect(status()).toBe('Upload cancelled.');
    expect(button(section(), 'Upload picture').disabled).toBe(false);
    expect(initials()).not.toBeNull();
  });

  it('a picture that fails to load shows the initials instead', async () => {
    user.set({ ...ME, avatarUrl: AVATAR });
    await fixture.whenStable();
    picture()!.dispatchEvent(new Event('error'));
    await fixture.whenStable();
    expect(picture()).toBeNull();
    expect(initials()?.textContent?.trim()).toBe('AL');
  });
});
