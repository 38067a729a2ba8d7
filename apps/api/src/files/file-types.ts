import type { FileKind } from '@parley/contracts';

/** What the bytes were found to be: a MIME type and its usual extension (null: unknown, application/octet-stream). */
export interface DetectedType {
  mime: string;
  ext: string | null;
}

export const UNKNOWN_TYPE: DetectedType = { mime: 'application/octet-stream', ext: null };

/** The image types sharp decodes and we make previews of. */
export const PROCESSED_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);

/**
 * Types a browser may show inline from our origin: media it renders itself without running any
 * script. Everything else (HTML, SVG, XML, PDF, text, archives, and any type not here) is
 * always an attachment.
 */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/opus',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/webm',
  'audio/flac',
  'audio/x-flac',
]);

/** Whether a file of this type and kind may be served inline (an undecodable "image" is a plain file: never). */
export function servedInline(mimeType: string, kind: FileKind): boolean {
  return kind !== 'file' && INLINE_TYPES.has(mimeType);
}

/** The kind of a stored file: `image` when previews were made (it decoded), else by its type. */
export function fileKind(mimeType: string, hasPreview: boolean): FileKind {
  if (hasPreview) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'file';
}

/**
 * The text types file-type does not detect (it reads binary signatures only), from the first
 * bytes: HTML, SVG and XML, which a browser would run script in, and plain UTF-8 text. Null
 * for bytes that are not text.
 */
export function sniffText(head: Buffer): DetectedType | null {
  if (head.length === 0 || head.includes(0)) return null;
  let text = head.toString('utf8');
  // A cut multi-byte character at the end of the sample is not a reason to call it binary.
  if (text.slice(0, -4).includes('\uFFFD')) return null;
  text = text.replace(/^\uFEFF/, '').trimStart().slice(0, 4096).toLowerCase();
  if (/<svg[\s>]/.test(text) && (text.startsWith('<svg') || text.startsWith('<?xml') || text.startsWith('<!doctype svg') || text.startsWith('<!--'))) {
    return { mime: 'image/svg+xml', ext: 'svg' };
  }
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype html|html|head|body|script|iframe|meta|style|title|div|a\s|img|svg|object|embed)/.test(text) || /<script[\s>]/.test(text)) {
    return { mime: 'text/html', ext: 'html' };
  }
  if (text.startsWith('<?xml')) return { mime: 'application/xml', ext: 'xml' };
  return { mime: 'text/plain', ext: null };
}

/** Other spellings of an extension, so `photo.jpeg` keeps its name when it is a JPEG. */
const SAME_EXTENSION: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  tif: ['tif', 'tiff'],
  html: ['html', 'htm'],
  mp4: ['mp4', 'm4v'],
  m4a: ['m4a', 'mp4'],
  mp3: ['mp3'],
  ogg: ['ogg', 'oga', 'ogv'],
  opus: ['opus', 'ogg'],
  mkv: ['mkv', 'mka'],
};

export function extensionMatches(ext: string, detected: string): boolean {
  return (SAME_EXTENSION[detected] ?? [detected]).includes(ext.toLowerCase());
}
