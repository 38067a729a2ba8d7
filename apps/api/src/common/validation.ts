import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidateIf } from 'class-validator';
import { FieldError } from '@parley/contracts';
import { AppException } from './app-exception';
import { refuseHostileInput } from './hostile-input';

/**
 * An optional field that may be left out but not set to null (`@IsOptional()` lets null
 * through, and a NOT NULL column then refuses it at the database).
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** Whole numbers a JavaScript number holds exactly (seqs are bigint in the database, far beyond 2^53). */
export const MAX_WHOLE_NUMBER = Number.MAX_SAFE_INTEGER;

export function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelisted, transformed input; unknown fields are refused and every bad field is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = `Invalid input: ${fields.map((f) => `${f.field} (${f.errors.join(', ')})`).join('; ')}`;
      return AppException.invalid(message, fields);
    },
  });
}

/**
 * Validates a socket payload like the REST pipe does a body; throws VALIDATION_FAILED naming the
 * fields. Socket.IO parses frames itself, so what the HTTP edge refuses before parsing (deep
 * nesting, NUL, unpaired surrogates) is refused here, before class-transformer sees it.
 */
export async function validatePayload<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw AppException.invalid('The payload must be an object');
  }
  refuseHostileInput(payload);
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const fields = flatten(errors);
    throw AppException.invalid(`Invalid input: ${fields.map((f) => `${f.field} (${f.errors.join(', ')})`).join('; ')}`, fields);
  }
  return instance;
}
