import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { AuthErrorCode, DISPLAY_NAME_MAX_LENGTH, SIGN_IN_CODE_LENGTH, SIGN_IN_CODE_TTL_SECONDS } from '@parley/contracts';

import { AuthApi } from '../core/auth/auth-api';
import { safeReturnUrl } from '../core/auth/auth-guards';
import { AuthStore } from '../core/auth/auth-store';
import { toApiError } from '../core/http/api-error';
import { Logo } from '../ui/logo';
import { Spinner } from '../ui/spinner';
import { SignInField, SignInFieldErrors, describeSignInError } from './sign-in-errors';

/** After a code is sent, "Resend code" waits this long. */
export const RESEND_COOLDOWN_SECONDS = 30;

type Step = 'email' | 'code';
type Mode = 'sign-in' | 'register';
type Busy = 'send' | 'resend' | 'verify' | null;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function inputValue(event: Event): string {
  return (event.target as HTMLInputElement).value;
}

/**
 * Sign-in by emailed one-time code. Step 1 asks for the email (and a display name for new
 * people), step 2 for the 6-digit code.
 */
@Component({
  selector: 'app-sign-in',
  imports: [Logo, Spinner],
  templateUrl: './sign-in.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SignIn {
  private readonly api = inject(AuthApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** Where to go after signing in (query parameter set by the signed-in guard). */
  readonly returnUrl = input<string | undefined>();

  protected readonly codeLength = SIGN_IN_CODE_LENGTH;
  protected readonly codeTtlMinutes = Math.round(SIGN_IN_CODE_TTL_SECONDS / 60);
  protected readonly displayNameMax = DISPLAY_NAME_MAX_LENGTH;

  protected readonly step = signal<Step>('email');
  protected readonly mode = signal<Mode>('sign-in');
  protected readonly email = signal('');
  protected readonly displayName = signal('');
  protected readonly code = signal('');
  protected readonly busy = signal<Busy>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly fieldErrors = signal<SignInFieldErrors>({});
  /** A polite status line, e.g. after a resend. */
  protected readonly notice = signal<string | null>(null);

  private readonly resendAt = signal(0);
  private readonly now = signal(Date.now());
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The code of the last verify call, so auto-submit does not resend a refused code. */
  private lastTriedCode: string | null = null;
  protected readonly resendSeconds = computed(() => Math.max(0, Math.ceil((this.resendAt() - this.now()) / 1000)));

  private readonly emailInput = viewChild<ElementRef<HTMLInputElement>>('emailInput');
  private readonly displayNameInput = viewChild<ElementRef<HTMLInputElement>>('displayNameInput');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');

  constructor() {
    this.destroyRef.onDestroy(() => clearInterval(this.ticker));
  }

  protected onEmailInput(event: Event): void {
    this.email.set(inputValue(event));
    this.clearFieldError('email');
  }

  protected onDisplayNameInput(event: Event): void {
    this.displayName.set(inputValue(event));
    this.clearFieldError('displayName');
  }

  protected onCodeInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const digits = input.value.replace(/\D/g, '').slice(0, SIGN_IN_CODE_LENGTH);
    if (input.value !== digits) input.value = digits;
    this.code.set(digits);
    this.clearFieldError('code');
    // Typing or pasting the last digit signs in, as people expect from code fields
    // (but a code that was just refused is not sent again until it changes).
    if (digits.length === SIGN_IN_CODE_LENGTH && digits !== this.lastTriedCode) this.verify();
  }

  protected setMode(mode: Mode): void {
    this.mode.set(mode);
    this.error.set(null);
    this.fieldErrors.set({});
    this.focusAfterRender(mode === 'register' ? this.displayNameInput : this.emailInput);
  }

  protected submitEmail(event: Event): void {
    event.preventDefault();
    if (this.busy()) return;
    const errors = this.validateEmailStep();
    this.fieldErrors.set(errors);
    this.error.set(null);
    if (errors.email) this.focusAfterRender(this.emailInput);
    else if (errors.displayName) this.focusAfterRender(this.displayNameInput);
    else this.sendCode('send');
  }

  protected submitCode(event: Event): void {
    event.preventDefault();
    this.verify();
  }

  protected resend(): void {
    if (this.busy() || this.resendSeconds() > 0) return;
    this.sendCode('resend');
  }

  protected useDifferentEmail(): void {
    this.step.set('email');
    this.code.set('');
    this.error.set(null);
    this.notice.set(null);
    this.fieldErrors.set({});
    this.focusAfterRender(this.emailInput);
  }

  private sendCode(kind: 'send' | 'resend'): void {
    const email = this.email().trim();
    const request$ =
      this.mode() === 'register'
        ? this.api.register({ email, displayName: this.displayName().trim() })
        : this.api.login({ email });

    this.busy.set(kind);
    this.error.set(null);
    this.notice.set(null);
    request$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.busy.set(null);
        this.startResendCooldown();
        this.clearCode();
        this.lastTriedCode = null;
        if (kind === 'resend') this.notice.set(`We sent a new code to ${email}.`);
        this.step.set('code');
        this.focusAfterRender(this.codeInput);
      },
      error: (error: unknown) => {
        this.busy.set(null);
        this.showError(error);
        if (kind === 'send') {
          const fields = this.fieldErrors();
          this.focusAfterRender(fields.displayName && !fields.email ? this.displayNameInput : this.emailInput);
        }
      },
    });
  }

  private verify(): void {
    if (this.busy()) return;
    const code = this.code();
    if (!new RegExp(`^\\d{${SIGN_IN_CODE_LENGTH}}$`).test(code)) {
      this.error.set(null);
      this.fieldErrors.set({ code: `Enter the ${SIGN_IN_CODE_LENGTH}-digit code from the email.` });
      this.focusAfterRender(this.codeInput);
      return;
    }

    this.lastTriedCode = code;
    this.busy.set('verify');
    this.error.set(null);
    this.notice.set(null);
    this.fieldErrors.set({});
    this.api
      .verify({ email: this.email().trim(), code })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.store.signIn(response);
          void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
        },
        error: (error: unknown) => {
          this.busy.set(null);
          this.showError(error);
          const code = toApiError(error).code;
          // A dead code cannot be fixed by editing it: empty the field for the new one.
          if (code === AuthErrorCode.CodeExpired || code === AuthErrorCode.CodeAttemptsExceeded) this.clearCode();
          this.focusAfterRender(this.codeInput, true);
        },
      });
  }

  private validateEmailStep(): SignInFieldErrors {
    const errors: SignInFieldErrors = {};
    const email = this.email().trim();
    if (!email) errors.email = 'Enter your email address.';
    else if (!EMAIL_PATTERN.test(email)) errors.email = 'Enter a valid email address, like name@company.com.';
    if (this.mode() === 'register') {
      const name = this.displayName().trim();
      if (!name) errors.displayName = 'Enter the name your teammates will see.';
      else if (name.length > DISPLAY_NAME_MAX_LENGTH) errors.displayName = `Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`;
    }
    return errors;
  }

  private showError(error: unknown): void {
    const view = describeSignInError(error);
    this.error.set(view.message);
    this.fieldErrors.set(view.fields);
  }

  private clearFieldError(field: SignInField): void {
    if (!this.fieldErrors()[field]) return;
    this.fieldErrors.update(({ [field]: _removed, ...rest }) => rest);
  }

  /** Empties the code field. The DOM is written too: `[value]` may not see a change if no render happened since typing. */
  private clearCode(): void {
    this.code.set('');
    const input = this.codeInput()?.nativeElement;
    if (input) input.value = '';
  }

  private startResendCooldown(): void {
    this.now.set(Date.now());
    this.resendAt.set(Date.now() + RESEND_COOLDOWN_SECONDS * 1000);
    clearInterval(this.ticker);
    this.ticker = setInterval(() => {
      this.now.set(Date.now());
      if (this.resendSeconds() === 0) clearInterval(this.ticker);
    }, 1000);
  }

  private focusAfterRender(target: () => ElementRef<HTMLInputElement> | undefined, select = false): void {
    afterNextRender(
      () => {
        const element = target()?.nativeElement;
        element?.focus();
        if (select) element?.select();
      },
      { injector: this.injector },
    );
  }
}
