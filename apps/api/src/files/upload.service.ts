import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { FILES_PER_MESSAGE_MAX, FileDto, UploadResult } from '@parley/contracts';
import type { Request, Response } from 'express';
import { AccessService } from '../access/access.service';
import { ChannelAction } from '../access/access.rules';
import { AuthUser } from '../auth/current-user';
import { AppException } from '../common/app-exception';
import { FileError, FileException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '../rate-limit/token-buckets';
import { toStoredFileDto } from './file-dto';
import { sanitizeFileName } from './file-names';
import { FileRepository, NewStoredFile } from './file.repository';
import { DetectedType, PROCESSED_IMAGE_TYPES, sniffText, UNKNOWN_TYPE } from './file-types';
import { processImage } from './image-processor';
import { quotaExceeded, receiveFiles, ReceivedFile, tooLarge, uploadInvalid } from './multipart-upload';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';

/** What a multipart body may carry besides its files' bytes (boundaries, part headers, names) before its Content-Length alone is too large. */
const FRAMING_ALLOWANCE = 64 * 1024;

/**
 * `POST /api/channels/:id/files`: uploads, streamed (never a whole file in memory) to a
 * temporary file while hashed and counted, typed from their bytes, renamed to match, images
 * cleaned and previewed, then put in the storage and recorded (not yet attached to a message).
 */
@Injectable()
export class UploadService {
  private readonly logger = new Logger('Files');
  /** Uploads count like sends, per person. */
  private readonly limit: TokenBucketLimiter;

  constructor(
    private readonly access: AccessService,
    private readonly files: FileRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    rateLimits: RateLimitService,
  ) {
    this.limit = rateLimits.tokenBuckets('upload', { burst: config.rateLimits.sendBurst, perSecond: config.rateLimits.sendsPerSecond });
  }

  async upload(actor: AuthUser, channelId: string, request: Request, response: Response): Promise<UploadResult> {
    const wait = await this.limit.take(actor.userId);
    if (wait) throw AppException.rateLimited(wait, `You are uploading too fast; try again in ${wait} s`);
    const channel = await this.access.requireChannel(actor, channelId, ChannelAction.Post);
    try {
      return { files: await this.receive(actor, channelId, channel.workspaceId, request) };
    } catch (error) {
      if (!request.complete) discardRestOfBody(request, response);
      throw error;
    }
  }

  private async receive(actor: AuthUser, channelId: string, workspaceId: string, request: Request): Promise<FileDto[]> {
    const { maxBytes, quotaBytes, tmpDir } = this.config.files;
    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      throw uploadInvalid('Send the files as multipart/form-data, each in a field named "file"');
    }
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > maxBytes + FRAMING_ALLOWANCE) throw tooLarge(maxBytes);
    let quotaLeft: number | null = null;
    if (quotaBytes !== null) {
      quotaLeft = quotaBytes - (await this.files.usedBytes(workspaceId));
      if (quotaLeft <= 0 || declared > quotaLeft + FRAMING_ALLOWANCE) throw quotaExceeded();
    }
    await mkdir(tmpDir, { recursive: true });
    const received = await receiveFiles(request, { maxBytes, maxFiles: FILES_PER_MESSAGE_MAX, quotaLeft, tmpDir });
    const rows: NewStoredFile[] = [];
    const temporary = received.map((file) => file.path);
    try {
      for (const file of received) {
        rows.push(await this.store(file, workspaceId, channelId, actor.userId, temporary));
      }
      if (!(await this.files.insertWithinQuota(rows, quotaBytes))) throw quotaExceeded();
    } catch (error) {
      await Promise.all(rows.flatMap((row) => keysOf(row)).map((key) => this.storage.delete(key).catch(() => undefined)));
      throw error;
    } finally {
      await Promise.all(temporary.map((path) => rm(path, { force: true })));
    }
    const stored = await this.files.findByIds(rows.map((row) => row.id));
    return stored.map(toStoredFileDto);
  }

  /** Types, names, cleans and stores one received file; answers its row (not yet inserted). */
  private async store(file: ReceivedFile, workspaceId: string, channelId: string, uploaderId: string, temporary: string[]): Promise<NewStoredFile> {
    const id = randomUUID();
    const key = (variant: string) => `${workspaceId}/${id}/${variant}`;
    const detected = await detectType(file.path);
    const row: NewStoredFile = {
      id,
      workspaceId,
      channelId,
      uploaderId,
      name: sanitizeFileName(file.clientName, detected),
      size: file.size,
      mimeType: detected.mime,
      sha256: file.sha256,
      width: null,
      height: null,
      storageKey: key('original'),
      previewKey: null,
      thumbnailKey: null,
    };
    const image = PROCESSED_IMAGE_TYPES.has(detected.mime) ? await processImage(file.path, detected.mime, `${file.path}.clean`) : null;
    if (image) temporary.push(image.originalPath);
    try {
      if (image) {
        const hash = createHash('sha256');
        row.size = await this.storage.put(row.storageKey, createReadStream(image.originalPath).pipe(hashing(hash)));
        row.sha256 = hash.digest('hex');
        row.width = image.width;
        row.height = image.height;
        await this.storage.put(key('preview'), Readable.from([image.preview]));
        row.previewKey = key('preview');
        await this.storage.put(key('thumbnail'), Readable.from([image.thumbnail]));
        row.thumbnailKey = key('thumbnail');
      } else {
        row.size = await this.storage.put(row.storageKey, createReadStream(file.path));
      }
    } catch (error) {
      await Promise.all(keysOf(row).map((k) => this.storage.delete(k).catch(() => undefined)));
      this.logger.error(`Storing a file failed: ${(error as Error).message}`);
      throw new FileException(FileError.StorageUnavailable, 'The file could not be stored; try again');
    }
    return row;
  }
}

/** How long a refused upload's client may go on sending (discarded) after its answer, before the connection is cut. */
const LINGER_MS = 3000;

/**
 * A refused upload is answered at once, before its body has arrived. Cutting the connection then
 * would have most clients fail on their next write (EPIPE) before they read the answer; so what
 * they still send is read and thrown away for a few seconds (nothing of it is parsed or kept,
 * as nginx's lingering close does), then the connection is closed if it is still going.
 */
export function discardRestOfBody(request: Request, response: Response): void {
  response.once('finish', () => {
    const timer = setTimeout(() => request.socket.destroy(), LINGER_MS);
    timer.unref();
    request.once('end', () => clearTimeout(timer));
    request.once('close', () => clearTimeout(timer));
    request.resume();
  });
}

/** The storage keys a row names. */
function keysOf(row: Pick<NewStoredFile, 'storageKey' | 'previewKey' | 'thumbnailKey'>): string[] {
  return [row.storageKey, row.previewKey, row.thumbnailKey].filter((key): key is string => key !== null);
}

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/**
 * The type of the bytes, never of the client's word: file-type's signatures first, then for
 * text (which has none) a look at the start for HTML, SVG and XML, else plain text, else unknown.
 */
export async function detectType(path: string): Promise<DetectedType> {
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(path);
  if (found && found.mime !== 'application/xml') return { mime: found.mime, ext: found.ext };
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = sniffText(head.subarray(0, bytesRead));
    if (found && (!text || text.mime === 'text/plain')) return { mime: found.mime, ext: found.ext };
    return text ?? UNKNOWN_TYPE;
  } finally {
    await handle.close();
  }
}
