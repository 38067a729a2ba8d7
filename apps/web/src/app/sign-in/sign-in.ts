import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  OnInit,
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

/** email → code → (the first time only) name. */
type Step = 'email' | 'code' | 'name';
type Busy = 'send' | 'resend' | 'verify' | null;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function inputValue(event: Event): string {
  return (event.target as HTMLInputElement).value;
}

/**
 * One flow for everyone, by emailed one-time code: "Continue with email" sends a code to any
 * address, the code signs in, and the first time (the server answers that a name is needed)
 * one more step asks for the display name and creates the account. Nobody has to know
 * beforehand whether they have an account, so an invited newcomer never hits a dead end.
 */
@Component({
  selector: 'app-sign-in',
  imports: [Logo, Spinner],
  templateUrl: './sign-in.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SignIn implements OnInit {
  private readonly api = inject(AuthApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** Where to go after signing in (query parameter set by the signed-in guard). */
  readonly returnUrl = input<string | undefined>();
  /** The email to start with (query parameter set by the invite page). */
  readonly emailHint = input<string | undefined>(undefined, { alias: 'email' });

  protected readonly codeLength = SIGN_IN_CODE_LENGTH;
  protected readonly codeTtlMinutes = Math.round(SIGN_IN_CODE_TTL_SECONDS / 60);
  protected readonly displayNameMax = DISPLAY_NAME_MAX_LENGTH;

  protected readonly step = signal<Step>('email');
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

  ngOnInit(): void {
    const hint = this.emailHint()?.trim();
    if (hint) this.email.set(hint);
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

  protected submitEmail(event: Event): void {
    event.preventDefault();
    if (this.busy()) return;
    const errors = this.validateEmailStep();
    this.fieldErrors.set(errors);
    this.error.set(null);
    if (errors.email) this.focusAfterRender(this.emailInput);
    else this.sendCode('send');
  }

  protected submitCode(event: Event): void {
    event.preventDefault();
    this.verify();
  }

  protected submitName(event: Event): void {
    event.preventDefault();
    if (this.busy()) return;
    const name = this.displayName().trim();
    const problem = !name
      ? 'Enter the name your teammates will see.'
      : name.length > DISPLAY_NAME_MAX_LENGTH
        ? `Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`
        : null;
    this.error.set(null);
    this.fieldErrors.set(problem ? { displayName: problem } : {});
    if (problem) this.focusAfterRender(this.displayNameInput);
    else this.verify(name);
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
    const request$ = this.api.requestCode({ email });

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
        if (kind === 'send') this.focusAfterRender(this.emailInput);
      },
    });
  }

  /** Sends the code (and, on the name step, the new account's name). */
  private verify(displayName?: string): void {
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
      .verify({ email: this.email().trim(), code, ...(displayName ? { displayName } : {}) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.store.signIn(response);
          void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
        },
        error: (error: unknown) => {
          this.busy.set(null);
          const code = toApiError(error).code;
          if (code === AuthErrorCode.DisplayNameRequired) {
            // The code is right and this email is new: one more question makes the account.
            this.step.set('name');
            this.error.set(null);
            this.fieldErrors.set({});
            this.focusAfterRender(this.displayNameInput);
            return;
          }
          this.showError(error);
          if (this.step() === 'name' && this.fieldErrors().displayName) {
            this.focusAfterRender(this.displayNameInput);
            return;
          }
          // Anything else is about the code: back to it (a dead code cannot be fixed by editing it).
          this.step.set('code');
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
