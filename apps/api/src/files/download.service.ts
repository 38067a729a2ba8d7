import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FileDto, FileVariant } from '@parley/contracts';
import type { Request, Response } from 'express';
import { AccessService } from '../access/access.service';
import { ChannelAction } from '../access/access.rules';
import { AuthUser } from '../auth/current-user';
import { AppException } from '../common/app-exception';
import { FileError, FileException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { StoredFile } from './entities/stored-file.entity';
import { toStoredFileDto } from './file-dto';
import { contentDisposition } from './file-names';
import { FileRepository } from './file.repository';
import { fileKind, servedInline } from './file-types';
import { parseRange } from './http-range';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';

/** How long a presigned download URL works (S3_PRESIGNED_DOWNLOADS). */
const PRESIGNED_SECONDS = 60;

/**
 * Revalidated on every use (the ETag answers 304), so that someone who leaves a private channel
 * stops seeing its files at once, and never kept by a shared cache.
 */
const CACHE_CONTROL = 'private, no-cache';

/**
 * `GET /api/files/:id` and its bytes. The access is the file's channel's (AccessService.requireFile);
 * the bytes go out with headers that keep them from ever running as a page of our origin.
 */
@Injectable()
export class DownloadService {
  private readonly logger = new Logger('Files');

  constructor(
    private readonly access: AccessService,
    private readonly files: FileRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async metadata(actor: AuthUser, fileId: string): Promise<FileDto> {
    await this.access.requireFile(actor, fileId, ChannelAction.Read);
    return toStoredFileDto(await this.found(fileId));
  }

  /** Serves the bytes of `variant` on `response` (200, 206, 304 or 302 to a presigned URL). */
  async content(actor: AuthUser, fileId: string, variant: FileVariant, download: boolean, request: Request, response: Response): Promise<void> {
    await this.access.requireFile(actor, fileId, ChannelAction.Read);
    const file = await this.found(fileId);
    const key = variant === 'original' ? file.storageKey : variant === 'preview' ? file.previewKey : file.thumbnailKey;
    if (!key) throw AppException.notFound('File');
    const mimeType = variant === 'original' ? file.mimeType : 'image/webp';
    const kind = variant === 'original' ? fileKind(file.mimeType, file.previewKey !== null) : 'image';
    const name = variant === 'original' ? file.name : `${file.name.replace(/\.[^.]*$/, '')}-${variant}.webp`;
    const disposition = contentDisposition(!download && servedInline(mimeType, kind) ? 'inline' : 'attachment', name);
    const etag = `"${file.sha256}${variant === 'original' ? '' : `-${variant}`}"`;

    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', 'sandbox');
    response.setHeader('Cache-Control', CACHE_CONTROL);
    response.setHeader('Content-Disposition', disposition);
    // Ranges are for the original (video seeking); a rendition is small and served whole.
    response.setHeader('Accept-Ranges', variant === 'original' ? 'bytes' : 'none');
    response.setHeader('ETag', etag);

    if (this.config.files.s3?.presignedDownloads && this.storage.presignedUrl) {
      const url = await this.storage.presignedUrl(key, PRESIGNED_SECONDS, { contentType: mimeType, contentDisposition: disposition, cacheControl: CACHE_CONTROL });
      response.setHeader('Cache-Control', 'private, no-store');
      response.redirect(302, url);
      return;
    }
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
      response.status(304).end();
      return;
    }

    const whole = file.size;
    const range = variant === 'original' ? parseRange(request.headers.range, whole) : null;
    if (range === 'unsatisfiable') {
      response.setHeader('Content-Range', `bytes */${whole}`);
      throw new FileException(FileError.RangeUnsatisfiable, `The range cannot be served: the file has ${whole} bytes`);
    }
    const object = await this.storage.get(key, range ?? undefined).catch((error: Error) => {
      this.logger.error(`Reading file ${file.id} failed: ${error.message}`);
      throw new FileException(FileError.StorageUnavailable, 'The file could not be read; try again');
    });
    if (!object) {
      this.logger.error(`File ${file.id} has no bytes under ${key}`);
      throw AppException.notFound('File');
    }
    response.status(range ? 206 : 200);
    if (range) response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${whole}`);
    response.setHeader('Content-Type', mimeType);
    response.setHeader('Content-Length', String(object.length));
    if (request.method === 'HEAD') {
      object.stream.destroy();
      response.end();
      return;
    }
    object.stream.on('error', (error) => {
      this.logger.error(`Streaming file ${file.id} failed: ${error.message}`);
      response.destroy(error);
    });
    response.on('close', () => object.stream.destroy());
    object.stream.pipe(response);
  }

  private async found(fileId: string): Promise<StoredFile> {
    const file = await this.files.findById(fileId);
    if (!file) throw AppException.notFound('File');
    return file;
  }
}
