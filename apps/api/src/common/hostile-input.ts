import { AppException } from './app-exception';

/**
 * Deepest nesting of arrays and objects accepted in a body or socket payload. Our own
 * requests nest three levels at most; deeper input only costs CPU (class-transformer and
 * class-validator recurse, and overflowed the stack at a few thousand levels).
 */
export const MAX_INPUT_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether raw JSON nests deeper than `limit`, found by one pass over the bytes (brackets
 * inside strings are text). Runs before the body is parsed, so a hostile body costs a scan.
 * UTF-8 multi-byte sequences never contain ASCII bytes, so a byte scan is exact for UTF-8.
 */
export function jsonNestsDeeperThan(raw: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPEN.has(byte)) {
      if (++depth > limit) return true;
    } else if (CLOSE.has(byte)) {
      depth--;
    }
  }
  return false;
}

/**
 * NUL, or a UTF-16 surrogate without its pair. PostgreSQL refuses both in text (and jsonb),
 * so they would fail at the database, far from the field that carried them.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

export type InputProblem = { kind: 'text'; field: string } | { kind: 'depth'; field: string };

/**
 * The first thing in a parsed value (a body, a query, a socket payload) that must be refused
 * before any validation: a string or key that cannot be stored, or nesting deeper than `limit`.
 * Walks iteratively and never below `limit`, so the walk itself is bounded.
 */
export function findInputProblem(value: unknown, limit = MAX_INPUT_DEPTH, root = ''): InputProblem | null {
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: root, depth: 0 }];
  while (stack.length) {
    const { value: current, field, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { kind: 'text', field: field || 'payload' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limit) return { kind: 'depth', field: field || 'payload' };
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((item, index) => [String(index), item])
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      const child = field ? `${field}.${key}` : key;
      if (!isStorableText(key)) return { kind: 'text', field: child };
      stack.push({ value: item, field: child, depth: depth + 1 });
    }
  }
  return null;
}

/** The 400 for a problem found by `findInputProblem`, naming the field. */
export function inputProblemException(problem: InputProblem): AppException {
  const error =
    problem.kind === 'text'
      ? 'must not contain NUL characters or unpaired UTF-16 surrogates'
      : `must not nest deeper than ${MAX_INPUT_DEPTH} levels`;
  return AppException.invalid(`Invalid input: ${problem.field} (${error})`, [{ field: problem.field, errors: [error] }]);
}

/** Throws the 400 for the first problem in `value`, if any. */
export function refuseHostileInput(value: unknown, root = ''): void {
  const problem = findInputProblem(value, MAX_INPUT_DEPTH, root);
  if (problem) throw inputProblemException(problem);
}
