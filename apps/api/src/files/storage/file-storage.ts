import type { Readable } from 'node:stream';

/** A byte range of a stored object, both ends included (as HTTP's `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  stream: Readable;
  /** Bytes in `stream` (the range's length when one was asked for). */
  length: number;
}

/**
 * Where the bytes of files are kept: a key (made by the files service, never by a client) to a
 * blob. Two drivers: the local disk under DATA_DIR/files, and any S3-compatible store.
 */
export interface FileStorage {
  /** Stores the stream under `key` (replacing what was there) and answers how many bytes it held. */
  put(key: string, body: Readable): Promise<number>;
  /** The object's bytes, or those of `range`; null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A URL that serves the object for `seconds` without our access check, when the driver can make one (S3). */
  presignedUrl?(key: string, seconds: number, headers: PresignedHeaders): Promise<string>;
}

/** What a presigned download answers with (S3's response-* overrides), since our own headers do not go with it. */
export interface PresignedHeaders {
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** Keys are ours: `<workspace>/<file>/<variant>`, lowercase uuids and words. Anything else is a bug, refused before it meets a path or a bucket. */
const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\/[a-z]+$/;

export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
}
