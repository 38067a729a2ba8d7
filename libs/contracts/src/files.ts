/**
 * Files and images (issue #14). A file is uploaded into a channel first
 * (`POST /api/channels/:id/files`, multipart field `file`, one or more), then attached to a
 * message by sending its id in `fileIds`. Its bytes are served by `GET /api/files/:id/content`,
 * with the channel's access checked on every request. Browsers authenticate `<img src>` there
 * with an HttpOnly cookie (FILES_COOKIE) scoped to `/api/files`, set beside every access token
 * the API issues (sign-in, refresh) and cleared at sign-out; integrators send the bearer token.
 */

/** The cookie that authenticates file downloads in a browser: the access token, `Path=/api/files; HttpOnly; SameSite=Strict`. */
export const FILES_COOKIE = 'parley_files';

/** Default of FILE_MAX_BYTES: a larger upload is refused with 413 FILE_TOO_LARGE before the rest is read. */
export const FILE_MAX_BYTES_DEFAULT = 100 * 1024 * 1024;
/** How many files one message may carry (and one upload request may hold). */
export const FILES_PER_MESSAGE_MAX = 10;
/** A stored name is cut to this many characters (keeping the extension). */
export const FILE_NAME_MAX_LENGTH = 200;
/** Files uploaded and never attached to a message are removed after this long. */
export const FILE_UNATTACHED_TTL_HOURS = 24;
/** `GET /api/channels/:id/files` answers at most this many per page. */
export const FILES_PAGE_MAX = 100;
/** The long side of an image's thumbnail and preview, in pixels (WebP). */
export const THUMBNAIL_SIZE = 360;
export const PREVIEW_SIZE = 1600;

/** The renditions a file may have: the bytes as uploaded, and for images a preview and a thumbnail. */
export type FileVariant = 'original' | 'preview' | 'thumbnail';

/** One uploaded file, as `POST /api/channels/:id/files`, `GET /api/files/:id` and a message's `files` show it. */
export interface FileDto {
  id: string;
  channelId: string;
  uploaderId: string;
  /** The sanitised name (no path, control or bidi characters), with an extension matching the type. */
  name: string;
  /** Bytes of the original. */
  size: number;
  /** Detected from the bytes (never the client's word); `application/octet-stream` when unknown. */
  mimeType: string;
  /** Pixels of an image (after its orientation is applied); null for other files. */
  width: number | null;
  height: number | null;
  /** `image` when a preview and a thumbnail were made, `video`/`audio` for players, else `file`. */
  kind: FileKind;
  /**
   * Where the bytes are (`/api/files/:id/content`, `?variant=preview|thumbnail` for an image's
   * renditions; `?download=1` always answers as an attachment). Relative to the API's origin;
   * the same for every reader (access is checked when they are fetched).
   */
  url: string;
  previewUrl: string | null;
  thumbnailUrl: string | null;
  /** The message it is attached to; null while not yet sent. */
  messageId: string | null;
  createdAt: string;
}

export type FileKind = 'image' | 'video' | 'audio' | 'file';

/** `POST /api/channels/:id/files` answers the files in the order they were sent. */
export interface UploadResult {
  files: FileDto[];
}

/** `GET /api/channels/:id/files?before=&limit=`: the channel's attached files, newest first. */
export interface FilePage {
  items: FileDto[];
  /** Pass as `before` for the next page; null at the end. */
  nextBefore: string | null;
}
