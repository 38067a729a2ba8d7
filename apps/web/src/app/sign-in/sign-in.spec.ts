import { HttpHeaders, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { CookieAuthResponse } from '@parley/contracts';

import { alerts, button, byLabel, queryByLabel, settle, type } from '@web/testing/dom';
import { authInterceptor } from '../core/auth/auth-interceptor';
import { AuthStore } from '../core/auth/auth-store';
import { SignIn } from './sign-in';

const verified: CookieAuthResponse = {
  accessToken: 'access-1',
  expiresIn: 900,
  user: {
    id: 'u1',
    email: 'ada@example.com',
    displayName: 'Ada',
    avatarUrl: null,
    statusText: null,
    readReceipts: true,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};

function apiError(status: number, code: string, extra: object = {}) {
  return [
    { statusCode: status, error: 'Error', message: code, code, ...extra },
    { status, statusText: 'Error' },
  ] as const;
}

describe('SignIn', () => {
  let fixture: ComponentFixture<SignIn>;
  let page: HTMLElement;
  let backend: HttpTestingController;

  async function render(): Promise<void> {
    fixture = TestBed.createComponent(SignIn);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  /** Step 1 → step 2 for ada@example.com. */
  async function reachCodeStep(): Promise<void> {
    type(byLabel(page, 'Email'), 'ada@example.com');
    button(page, 'Continue with email').click();
    backend.expectOne('/api/auth/code').flush({ message: 'Code sent' }, { status: 202, statusText: 'Accepted' });
    await stable();
  }

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    vi.useRealTimers();
    backend.verify();
    localStorage.clear();
  });

  it('asks for an email first', async () => {
    await render();
    const email = byLabel(page, 'Email');
    expect(email.type).toBe('email');
    expect(email.autocomplete).toBe('email');
    expect(queryByLabel(page, 'Code')).toBeNull();
    expect(queryByLabel(page, 'Display name')).toBeNull();
  });

  it('explains an empty or malformed email without calling the server', async () => {
    await render();
    button(page, 'Continue with email').click();
    await stable();
    expect(alerts(page)).toContain('Enter your email address.');
    expect(byLabel(page, 'Email').getAttribute('aria-invalid')).toBe('true');

    type(byLabel(page, 'Email'), 'ada');
    button(page, 'Continue with email').click();
    await stable();
    expect(alerts(page).join(' ')).toContain('Enter a valid email address');
    backend.expectNone('/api/auth/code');
  });

  it('sends the code ("Continue with email") and moves to the Code step, focused', async () => {
    await render();
    type(byLabel(page, 'Email'), '  ada@example.com ');
    button(page, 'Continue with email').click();
    await stable();
    expect(button(page, /Sending code/).disabled).toBe(true);

    const req = backend.expectOne('/api/auth/code');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'ada@example.com' });
    req.flush({ message: 'Code sent' }, { status: 202, statusText: 'Accepted' });
    await stable();

    const code = byLabel(page, 'Code');
    expect(code.inputMode).toBe('numeric');
    expect(code.autocomplete).toBe('one-time-code');
    expect(document.activeElement).toBe(code);
    expect(page.textContent).toContain('Check your email for a 6-digit code');
    expect(page.textContent).toContain('ada@example.com');
  });

  it('offers one flow: no separate "Create an account"', async () => {
    await render();
    expect(page.textContent).not.toMatch(/create an account/i);
    expect(button(page, 'Continue with email')).toBeTruthy();
  });

  it('starts with the email the invite page passed', async () => {
    fixture = TestBed.createComponent(SignIn);
    fixture.componentRef.setInput('email', 'invited@example.com');
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(byLabel(page, 'Email').value).toBe('invited@example.com');
  });

  it('asks a new person for their name after the right code, then creates the account with it', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await render();
    await reachCodeStep();

    type(byLabel(page, 'Code'), '123456');
    const first = backend.expectOne('/api/auth/verify');
    expect(first.request.body).toEqual({ email: 'ada@example.com', code: '123456', refreshTokenIn: 'cookie' });
    first.flush(...apiError(400, 'AUTH_DISPLAY_NAME_REQUIRED'));
    await stable();

    expect(alerts(page)).toEqual([]);
    expect(page.textContent).toContain('Welcome to Parley');
    const name = byLabel(page, 'Display name');
    expect(document.activeElement).toBe(name);

    button(page, 'Create account').click();
    await stable();
    expect(alerts(page)).toContain('Enter the name your teammates will see.');
    backend.expectNone('/api/auth/verify');

    type(byLabel(page, 'Display name'), '  Grace Hopper ');
    button(page, 'Create account').click();
    const second = backend.expectOne('/api/auth/verify');
    expect(second.request.body).toEqual({ email: 'ada@example.com', code: '123456', displayName: 'Grace Hopper', refreshTokenIn: 'cookie' });
    second.flush(verified);
    await stable();

    expect(TestBed.inject(AuthStore).user()?.displayName).toBe('Ada');
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('goes back to the code when the code expired while the name was typed', async () => {
    await render();
    await reachCodeStep();
    type(byLabel(page, 'Code'), '123456');
    backend.expectOne('/api/auth/verify').flush(...apiError(400, 'AUTH_DISPLAY_NAME_REQUIRED'));
    await stable();

    type(byLabel(page, 'Display name'), 'Grace');
    button(page, 'Create account').click();
    backend.expectOne('/api/auth/verify').flush(...apiError(401, 'AUTH_CODE_EXPIRED'));
    await stable();

    expect(alerts(page)).toContain('That code has expired. Send a new one.');
    expect(byLabel(page, 'Code').value).toBe('');
  });

  it('signs in with the right code and stores the session', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await render();
    await reachCodeStep();

    type(byLabel(page, 'Code'), '123456'); // the last digit submits
    const req = backend.expectOne('/api/auth/verify');
    // The refresh token is asked for in the HttpOnly cookie: it never reaches the page.
    expect(req.request.body).toEqual({ email: 'ada@example.com', code: '123456', refreshTokenIn: 'cookie' });
    req.flush(verified);
    await stable();

    expect(TestBed.inject(AuthStore).accessToken()).toBe('access-1');
    expect(JSON.stringify({ ...localStorage })).not.toContain('access-1');
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('says so when the code is wrong', async () => {
    await render();
    await reachCodeStep();

    type(byLabel(page, 'Code'), '000000');
    backend.expectOne('/api/auth/verify').flush(...apiError(400, 'AUTH_CODE_INVALID'));
    await stable();

    expect(alerts(page)).toContain('That code is not right. Check the email and try again.');
    expect(document.activeElement).toBe(byLabel(page, 'Code'));
  });

  it('says so when the code has expired', async () => {
    await render();
    await reachCodeStep();

    type(byLabel(page, 'Code'), '111111');
    backend.expectOne('/api/auth/verify').flush(...apiError(400, 'AUTH_CODE_EXPIRED'));
    await stable();

    expect(alerts(page)).toContain('That code has expired. Send a new one.');
    expect(byLabel(page, 'Code').value).toBe('');
  });

  it('says so after too many wrong tries', async () => {
    await render();
    await reachCodeStep();

    type(byLabel(page, 'Code'), '222222');
    backend.expectOne('/api/auth/verify').flush(...apiError(400, 'AUTH_CODE_ATTEMPTS_EXCEEDED'));
    await stable();

    expect(alerts(page)).toContain('Too many wrong tries. Send a new code.');
  });

  it('reads the wait from Retry-After on 429', async () => {
    await render();
    type(byLabel(page, 'Email'), 'ada@example.com');
    button(page, 'Continue with email').click();
    backend
      .expectOne('/api/auth/code')
      .flush(
        { statusCode: 429, error: 'Too Many Requests', message: 'Slow down', code: 'RATE_LIMITED' },
        { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '42' }) },
      );
    await stable();

    expect(alerts(page)).toContain('Too many attempts. Try again in 42 seconds.');
    expect(queryByLabel(page, 'Code')).toBeNull();
  });

  it('shows field messages on VALIDATION_FAILED', async () => {
    await render();
    type(byLabel(page, 'Email'), 'ada@example.com');
    button(page, 'Continue with email').click();
    backend
      .expectOne('/api/auth/code')
      .flush(...apiError(400, 'VALIDATION_FAILED', { fields: [{ field: 'email', errors: ['email must be an email'] }] }));
    await stable();

    expect(alerts(page)).toContain('Email must be an email.');
    expect(byLabel(page, 'Email').getAttribute('aria-invalid')).toBe('true');
  });

  it('says when Parley cannot be reached', async () => {
    await render();
    type(byLabel(page, 'Email'), 'ada@example.com');
    button(page, 'Continue with email').click();
    backend.expectOne('/api/auth/code').error(new ProgressEvent('error'));
    await stable();

    expect(alerts(page)).toContain('Cannot reach Parley. Check your connection.');
  });

  it('keeps "Resend code" disabled for 30 seconds after a send', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    await render();
    await reachCodeStep();

    const resend = () => button(page, /^Resend code/);
    expect(resend().disabled).toBe(true);
    expect(resend().textContent).toContain('Resend code in 30s');

    vi.advanceTimersByTime(29_000);
    await fixture.whenStable();
    expect(resend().disabled).toBe(true);
    expect(resend().textContent).toContain('Resend code in 1s');

    vi.advanceTimersByTime(1_000);
    await fixture.whenStable();
    expect(resend().disabled).toBe(false);

    resend().click();
    const again = backend.expectOne('/api/auth/code');
    expect(again.request.body).toEqual({ email: 'ada@example.com' });
    again.flush({ message: 'Code sent' }, { status: 202, statusText: 'Accepted' });
    await stable();
    expect(resend().disabled).toBe(true);
    expect(page.textContent).toContain('We sent a new code to ada@example.com.');
  });

  it('goes back to the email step with "Use a different email"', async () => {
    await render();
    await reachCodeStep();

    button(page, 'Use a different email').click();
    await stable();

    expect(queryByLabel(page, 'Code')).toBeNull();
    expect(byLabel(page, 'Email').value).toBe('ada@example.com');
    expect(document.activeElement).toBe(byLabel(page, 'Email'));
  });
});
