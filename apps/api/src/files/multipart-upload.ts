import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import busboy from 'busboy';
import { AppException } from '../common/app-exception';
import { FileError, FileException } from '../common/domain-errors';
import { pipeToNewFile } from './storage/new-file';

/** One file of an upload, streamed to a temporary file: hashed and counted on the way. */
export interface ReceivedFile {
  path: string;
  /** As the client named it (unsanitised). */
  clientName: string;
  size: number;
  sha256: string;
}

export interface ReceiveLimits {
  /** The bytes of all files together (FILE_MAX_BYTES). */
  maxBytes: number;
  maxFiles: number;
  /** Bytes the workspace's quota has left; null: no quota. */
  quotaLeft: number | null;
  tmpDir: string;
}

export const tooLarge = (maxBytes: number) => new FileException(FileError.TooLarge, `The upload is larger than ${maxBytes} bytes`);
export const quotaExceeded = () => new FileException(FileError.QuotaExceeded, "The workspace's file quota would be exceeded");
export const uploadInvalid = (message: string) => new FileException(FileError.UploadInvalid, message);

/**
 * Reads a multipart/form-data body with busboy and streams each part named `file` to a
 * temporary file of its own, never holding a whole file in memory. Stops reading the moment the
 * bytes pass `maxBytes` (FILE_TOO_LARGE) or the quota left (FILE_QUOTA_EXCEEDED), and on any
 * malformed body; then whatever was written is removed before the error is thrown.
 */
export function receiveFiles(request: Readable & { headers: IncomingHttpHeaders }, limits: ReceiveLimits): Promise<ReceivedFile[]> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      defParamCharset: 'utf8',
      limits: { files: limits.maxFiles, fields: 20, fieldSize: 4096, parts: limits.maxFiles + 20, headerPairs: 50 },
    });
  } catch {
    return Promise.reject(uploadInvalid('Send the files as multipart/form-data, each in a field named "file"'));
  }

  const received: ReceivedFile[] = [];
  const writes: Promise<void>[] = [];
  const open = new Set<Readable>();
  let total = 0;
  let failure: AppException | null = null;

  return new Promise<ReceivedFile[]>((resolve, reject) => {
    const fail = (error: AppException) => {
      if (failure) return;
      failure = error;
      request.unpipe(parser);
      // With an error: a plain destroy() of a part that busboy has ended but nobody has read yet leaves its pipeline pending for ever.
      for (const stream of open) stream.destroy(error);
      void Promise.allSettled(writes)
        .then(() => Promise.all(received.map((file) => rm(file.path, { force: true }))))
        .finally(() => reject(error));
    };

    parser.on('file', (field, stream, info) => {
      if (failure) return void stream.resume();
      if (field !== 'file') {
        stream.resume();
        return fail(uploadInvalid(`Unexpected field "${field}": send each file in a field named "file"`));
      }
      const file: ReceivedFile = { path: join(limits.tmpDir, `upload-${randomUUID()}`), clientName: info.filename ?? '', size: 0, sha256: '' };
      received.push(file);
      open.add(stream);
      const hash = createHash('sha256');
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.length;
          if (total > limits.maxBytes) return done(tooLarge(limits.maxBytes));
          if (limits.quotaLeft !== null && total > limits.quotaLeft) return done(quotaExceeded());
          file.size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      writes.push(
        pipeToNewFile(file.path, stream, count).then(
          () => {
            open.delete(stream);
            file.sha256 = hash.digest('hex');
          },
          (error: unknown) => {
            open.delete(stream);
            fail(error instanceof AppException ? error : uploadInvalid('The upload was cut off'));
          },
        ),
      );
    });
    parser.on('filesLimit', () => fail(uploadInvalid(`At most ${limits.maxFiles} files per upload`)));
    parser.on('partsLimit', () => fail(uploadInvalid('Too many parts in the multipart body')));
    parser.on('error', () => fail(uploadInvalid('The multipart body is malformed')));
    parser.on('close', () => {
      void Promise.allSettled(writes).then(() => {
        if (failure) return;
        if (!received.length) return fail(uploadInvalid('No file: send each file in a field named "file"'));
        if (received.some((file) => file.size === 0)) return fail(uploadInvalid('A file is empty'));
        resolve(received);
      });
    });
    request.on('aborted', () => fail(uploadInvalid('The upload was cut off')));
    request.on('error', () => fail(uploadInvalid('The upload was cut off')));
    request.pipe(parser);
  });
}
