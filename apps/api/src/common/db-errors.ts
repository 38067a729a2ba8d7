/** True when `error` is PostgreSQL's unique_violation (23505), optionally on a given constraint/index. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } } | null)?.driverError?.code ??
    (error as { code?: string } | null)?.code;
  return code === '23505';
}
