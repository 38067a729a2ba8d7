import type { FileDto } from '@parley/contracts';

/** "0 B", "999 B", "1.5 KB", "12 KB", "3.4 MB", "1.2 GB": one decimal below 10, none above (base 1024, as file managers show). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  // Rounding may reach 1024 (1023.96 KB): that is shown as the next unit.
  while (unit < units.length - 1 && (value >= 1024 || Math.round(value * 10) / 10 >= 1024)) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${units[unit]}`;
}

/** How a message shows a file: an inline image, a player, or a card with a download link. */
export type FileRenderer = 'image' | 'video' | 'audio' | 'card';

/** An image without a thumbnail (it failed to decode on the server) is a card: there is nothing safe to show inline. */
export function rendererFor(file: Pick<FileDto, 'kind' | 'thumbnailUrl'>): FileRenderer {
  switch (file.kind) {
    case 'image':
      return file.thumbnailUrl ? 'image' : 'card';
    case 'video':
      return 'video';
    case 'audio':
      return 'audio';
    default:
      return 'card';
  }
}

/** The card's icon, by the detected type. */
export type FileIcon = 'pdf' | 'archive' | 'text' | 'sheet' | 'slides' | 'doc' | 'image' | 'video' | 'audio' | 'code' | 'generic';

export function iconFor(file: Pick<FileDto, 'mimeType' | 'kind' | 'name'>): FileIcon {
  const mime = file.mimeType.toLowerCase();
  if (file.kind === 'image' || mime.startsWith('image/')) return 'image';
  if (file.kind === 'video') return 'video';
  if (file.kind === 'audio') return 'audio';
  if (mime === 'application/pdf') return 'pdf';
  if (/zip|x-tar|gzip|x-7z|x-rar|x-bzip|x-xz|zstd/.test(mime)) return 'archive';
  if (/spreadsheet|ms-excel|text\/csv/.test(mime)) return 'sheet';
  if (/presentation|powerpoint/.test(mime)) return 'slides';
  if (/wordprocessing|msword|opendocument\.text|rtf/.test(mime)) return 'doc';
  if (/json|javascript|typescript|xml|x-sh|x-python/.test(mime)) return 'code';
  if (mime.startsWith('text/')) return 'text';
  return 'generic';
}

/** The short label under a card's icon: the extension ("PDF", "ZIP"), else what the icon says. */
export function typeLabel(file: Pick<FileDto, 'mimeType' | 'kind' | 'name'>): string {
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 && dot < file.name.length - 1 ? file.name.slice(dot + 1) : '';
  if (extension && extension.length <= 5) return extension.toUpperCase();
  return iconFor(file) === 'generic' ? 'FILE' : iconFor(file).toUpperCase();
}

/** The address that always answers as an attachment (`?download=1`), whatever the type. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}download=1`;
}

/**
 * The box an inline image takes before it loads (so the log does not jump): its own size scaled
 * down to fit `maxWidth` × `maxHeight`, never up. Without dimensions, a square of the height.
 */
export function fitBox(width: number | null, height: number | null, maxWidth: number, maxHeight: number): { width: number; height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: maxHeight, height: maxHeight };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
