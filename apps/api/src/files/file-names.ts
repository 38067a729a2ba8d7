import { FILE_NAME_MAX_LENGTH } from '@parley/contracts';
import { DetectedType, extensionMatches } from './file-types';

/** C0 and C1 control characters and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Characters that reorder text (a `gpj.exe` shown as `exe.jpg`) or hide in it: bidi embeddings, overrides and isolates, marks, zero-width ones. */
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2028\u2029\ufeff]/g;
/** What Windows refuses in a file name; a download saved there keeps a usable name. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The name a file is stored and offered under: the last segment of what the client sent (no
 * directories, either slash), without control or bidi characters, leading dots or trailing dots
 * and spaces, at most FILE_NAME_MAX_LENGTH characters with its extension kept, and that
 * extension made to agree with the type found in the bytes when the type has one: `photo.txt`
 * that is a PNG becomes `photo.png`, `evil.png` that is HTML becomes `evil.html`.
 */
export function sanitizeFileName(raw: string, detected: DetectedType): string {
  let name = (raw.split(/[/\\]/).pop() ?? '').normalize('NFC');
  name = name.replace(CONTROL, '').replace(INVISIBLE, '').replace(RESERVED, '_');
  name = name.trim().replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  let { stem, ext } = splitExtension(name);
  if (detected.ext && (ext === null || !extensionMatches(ext, detected.ext))) {
    // `photo.txt` as a PNG: the wrong extension goes. A dotted stem without a known extension keeps its dots.
    if (ext !== null && !/^[a-z0-9]{1,8}$/i.test(ext)) stem = `${stem}.${ext}`;
    ext = detected.ext;
  }
  if (!stem) stem = 'file';
  return fitLength(stem, ext);
}

function splitExtension(name: string): { stem: string; ext: string | null } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: null };
  return { stem: name.slice(0, dot), ext: name.slice(dot + 1) };
}

/** Cuts the stem (by code points, so no surrogate pair is split) until `stem.ext` fits. */
function fitLength(stem: string, ext: string | null): string {
  const suffix = ext ? `.${[...ext].slice(0, 16).join('')}` : '';
  const room = FILE_NAME_MAX_LENGTH - suffix.length;
  const points = [...stem];
  let cut = points.slice(0, room).join('');
  while (cut.length > room) cut = [...cut].slice(0, -1).join('');
  return `${cut.replace(/[.\s]+$/, '') || 'file'}${suffix}`;
}

/**
 * `Content-Disposition` for a download: an ASCII fallback (`filename="…"`, quotes and
 * backslashes out, non-ASCII as `_`) and the real name as RFC 5987 `filename*=UTF-8''…`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
