import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCode, FieldError } from '@parley/contracts';
import { AppException } from './app-exception';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
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
      return new AppException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, message, fields);
    },
  });
}
