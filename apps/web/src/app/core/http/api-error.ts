import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody, ErrorCode, FieldError } from '@parley/contracts';

/** What the UI needs to know about a failed API call. */
export interface ApiError {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  /** The API's error code, when the body carried one. */
  code: ErrorCode | null;
  /** The server's human-readable message, when there was one. */
  message: string | null;
  /** Per-field messages on VALIDATION_FAILED. */
  fields: FieldError[];
  /** Seconds from the `Retry-After` header (429 and 503), when present and readable. */
  retryAfterSeconds: number | null;
}

function isApiErrorBody(body: unknown): body is Partial<ApiErrorBody> {
  return typeof body === 'object' && body !== null && ('code' in body || 'message' in body);
}

/** Reads `Retry-After` in either of its forms: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Normalises anything an HttpClient call may throw into an {@link ApiError}. */
export function toApiError(error: unknown): ApiError {
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, code: null, message: null, fields: [], retryAfterSeconds: null };
  }
  const body = isApiErrorBody(error.error) ? error.error : null;
  return {
    status: error.status,
    code: body?.code ?? null,
    message: typeof body?.message === 'string' ? body.message : null,
    fields: Array.isArray(body?.fields) ? body.fields : [],
    retryAfterSeconds: parseRetryAfter(error.headers?.get('Retry-After') ?? null),
  };
}

/** True when the request never got an HTTP answer (offline, DNS, refused, CORS). */
export function isNetworkError(error: ApiError): boolean {
  return error.status === 0;
}
