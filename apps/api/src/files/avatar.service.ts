import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AVATAR_MAX_BYTES, AVATAR_SIZES, AvatarSize, UserDto } from '@parley/contracts';
import type { Request, Response } from 'express';
import { AuditContext } from '../audit/audit-context';
import { OnAppEvent } from '../events/event-bus';
import { AuthUser } from '../auth/current-user';
import { AppException } from '../common/app-exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '../rate-limit/token-buckets';
import { toUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AVATAR_VARIANTS, avatarRenditions } from './avatar-image';
import { receiveFiles, tooLarge, uploadInvalid } from './multipart-upload';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';
import { discardRestOfBody } from './upload.service';

/** What a multipart body carries besides the picture's bytes before its Content-Length alone is too large. */
const FRAMING_ALLOWANCE = 64 * 1024;

/** users.avatar_url of an uploaded picture; its id changes with every upload, so its bytes never change. */
export const avatarPath = (userId: string, avatarId: string) => `/api/files/avatars/${userId}/${avatarId}`;
const OURS = /^\/api\/files\/avatars\/([0-9a-f-]{36})\/([0-9a-f-]{36})$/;
const keyOf = (userId: string, avatarId: string, size: AvatarSize) => `${userId}/${avatarId}/${AVATAR_VARIANTS[size]}`;

/**
 * Profile pictures (issue #14): uploaded by their person, made square in AVATAR_SIZES (WebP, no
 * metadata), kept in the file storage, and shown to anyone signed in who has the address (it
 * holds an unguessable id, and changes with every upload).
 */
@Injectable()
export class AvatarService {
  private readonly logger = new Logger('Avatars');
  private readonly limit: TokenBucketLimiter;

  constructor(
    private readonly users: UsersService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    rateLimits: RateLimitService,
  ) {
    // A new picture now and then, not a loop.
    this.limit = rateLimits.tokenBuckets('avatar', { burst: 5, perSecond: 0.1 });
  }

  async upload(actor: AuthUser, request: Request, response: Response): Promise<UserDto> {
    const wait = await this.limit.take(actor.userId);
    if (wait) throw AppException.rateLimited(wait, `You are changing your picture too often; try again in ${wait} s`);
    try {
      return await this.receive(actor, request);
    } catch (error) {
      if (!request.complete) discardRestOfBody(request, response);
      throw error;
    }
  }

  async remove(actor: AuthUser): Promise<UserDto> {
    const before = await this.users.get(actor.userId);
    AuditContext.annotate({ targetId: actor.userId, details: { avatar: 'removed' } });
    const user = await this.users.update(actor.userId, { avatarUrl: null });
    await this.forget(before.avatarUrl);
    return toUserDto(user);
  }

  /** The picture's bytes in `size`, while it is the person's picture (an older one is gone). */
  async content(userId: string, avatarId: string, size: AvatarSize, response: Response): Promise<void> {
    const user = await this.users.get(userId).catch(() => null);
    if (user?.avatarUrl !== avatarPath(userId, avatarId)) throw AppException.notFound('Avatar');
    const object = await this.storage.get(keyOf(userId, avatarId, size));
    if (!object) throw AppException.notFound('Avatar');
    response.setHeader('Content-Type', 'image/webp');
    response.setHeader('Content-Length', String(object.length));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', 'sandbox');
    response.setHeader('Content-Disposition', 'inline; filename="avatar.webp"');
    // The address changes with every upload: what it names never changes.
    response.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    await pipeline(object.stream, response).catch((error: NodeJS.ErrnoException) => {
      // The browser went away before the picture was through (a page left, a lazy image no longer
      // wanted): nobody is left to answer, and it is no server error.
      if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    });
  }

  private async receive(actor: AuthUser, request: Request): Promise<UserDto> {
    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) throw uploadInvalid('Send the picture as multipart/form-data, in a field named "file"');
    if (Number(request.headers['content-length'] ?? NaN) > AVATAR_MAX_BYTES + FRAMING_ALLOWANCE) throw tooLarge(AVATAR_MAX_BYTES);
    const { tmpDir } = this.config.files;
    await mkdir(tmpDir, { recursive: true });
    const [file] = await receiveFiles(request, { maxBytes: AVATAR_MAX_BYTES, maxFiles: 1, quotaLeft: null, tmpDir });
    try {
      const renditions = await avatarRenditions(file.path);
      if (!renditions) throw uploadInvalid('The picture is not an image Parley can read (PNG, JPEG, WebP, GIF, AVIF or TIFF)');
      const avatarId = randomUUID();
      for (const size of AVATAR_SIZES) await this.storage.put(keyOf(actor.userId, avatarId, size), Readable.from(renditions.get(size)!));
      const before = await this.users.get(actor.userId);
      AuditContext.annotate({ targetId: actor.userId, details: { avatar: 'uploaded' } });
      const user = await this.users.update(actor.userId, { avatarUrl: avatarPath(actor.userId, avatarId) }).catch(async (error: unknown) => {
        await this.forget(avatarPath(actor.userId, avatarId));
        throw error;
      });
      await this.forget(before.avatarUrl);
      return toUserDto(user);
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /** Removes the bytes of a picture of ours that is no longer anyone's (an https URL set by PATCH is not ours). */
  /** A picture removed through PATCH /api/users/me {avatarUrl: null}: its bytes leave the storage, as with DELETE. */
  @OnAppEvent('user.avatar.dropped')
  async onDropped({ avatarUrl }: { userId: string; avatarUrl: string }): Promise<void> {
    await this.forget(avatarUrl);
  }

  private async forget(avatarUrl: string | null): Promise<void> {
    const match = avatarUrl ? OURS.exec(avatarUrl) : null;
    if (!match) return;
    const [, userId, avatarId] = match;
    for (const size of AVATAR_SIZES) {
      await this.storage.delete(keyOf(userId, avatarId, size)).catch((error: Error) => this.logger.warn(`Could not remove an old avatar: ${error.message}`));
    }
  }
}
