import type { FileDto } from '@parley/contracts';
import { StoredFile } from './entities/stored-file.entity';
import { toFileDto } from './file-mapper';
import { fileKind } from './file-types';

/** The FileDto of a row of the files table. */
export function toStoredFileDto(file: StoredFile): FileDto {
  return toFileDto(
    {
      id: file.id,
      name: file.name,
      size: file.size,
      mimeType: file.mimeType,
      width: file.width,
      height: file.height,
      kind: fileKind(file.mimeType, file.previewKey !== null),
      uploaderId: file.uploaderId,
      createdAt: file.createdAt.toISOString(),
    },
    file.channelId,
    file.messageId,
  );
}
