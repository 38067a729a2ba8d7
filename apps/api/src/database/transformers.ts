import { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; sequence numbers fit a JavaScript number. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | undefined | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
