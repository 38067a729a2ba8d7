/** class-transformer helpers for request DTOs: `@Transform(trim)`, `@Transform(normaliseEmail)`. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Emails are compared lower-cased and without surrounding spaces. */
export const normaliseEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
