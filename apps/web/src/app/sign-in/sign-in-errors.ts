import { AuthErrorCode, CommonErrorCode } from '@parley/contracts';

import { isNetworkError, toApiError } from '../core/http/api-error';

/** The fields of the sign-in form that the server may complain about. */
export type SignInField = 'email' | 'displayName' | 'code';
export type SignInFieldErrors = Partial<Record<SignInField, string>>;

export interface SignInErrorView {
  /** Shown in the page's alert; null when the field messages say it all. */
  message: string | null;
  fields: SignInFieldErrors;
}

const SIGN_IN_FIELDS: readonly string[] = ['email', 'displayName', 'code'] satisfies SignInField[];

function isSignInField(field: string): field is SignInField {
  return SIGN_IN_FIELDS.includes(field);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function tooManyAttempts(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null) return 'Too many attempts. Try again in a moment.';
  const n = Math.max(1, retryAfterSeconds);
  return `Too many attempts. Try again in ${n} ${n === 1 ? 'second' : 'seconds'}.`;
}

/** Turns whatever a sign-in call threw into words for the person in front of the form. */
export function describeSignInError(thrown: unknown): SignInErrorView {
  const error = toApiError(thrown);

  if (isNetworkError(error)) {
    return { message: 'Cannot reach Parley. Check your connection.', fields: {} };
  }
  if (error.status === 429 || error.code === CommonErrorCode.RateLimited) {
    return { message: tooManyAttempts(error.retryAfterSeconds), fields: {} };
  }

  switch (error.code) {
    case AuthErrorCode.CodeInvalid:
      return { message: 'That code is not right. Check the email and try again.', fields: {} };
    case AuthErrorCode.CodeExpired:
      return { message: 'That code has expired. Send a new one.', fields: {} };
    case AuthErrorCode.CodeAttemptsExceeded:
      return { message: 'Too many wrong tries. Send a new code.', fields: {} };
    case AuthErrorCode.UserDeactivated:
      return { message: 'This account has been deactivated. Ask an admin of your workspace.', fields: {} };
    case CommonErrorCode.ValidationFailed: {
      const fields: SignInFieldErrors = {};
      const other: string[] = [];
      for (const { field, errors } of error.fields) {
        const text = errors.map(sentence).join(' ');
        if (isSignInField(field)) fields[field] = text;
        else other.push(text);
      }
      if (other.length > 0) return { message: other.join(' '), fields };
      if (Object.keys(fields).length > 0) return { message: null, fields };
      return { message: error.message ? sentence(error.message) : 'Check what you entered and try again.', fields };
    }
  }

  if (error.status >= 500) {
    return { message: 'Something went wrong on our side. Try again in a moment.', fields: {} };
  }
  return { message: error.message ? sentence(error.message) : 'Something went wrong. Try again.', fields: {} };
}
