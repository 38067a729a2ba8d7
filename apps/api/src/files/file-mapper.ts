import type { FileDto, FileKind } from '@parley/contracts';

/** messages.files: what a message shows of one attached file; the URLs are made from the id. */
export interface StoredFileSummary {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  width: number | null;
  height: number | null;
  kind: FileKind;
  uploaderId: string;
  createdAt: string;
}

/** The addresses of a file's bytes (FileDto.url): the same for every reader, access is checked when fetched. */
export function fileUrls(id: string, kind: FileKind): Pick<FileDto, 'url' | 'previewUrl' | 'thumbnailUrl'> {
  const url = `/api/files/${id}/content`;
  return kind === 'image' ? { url, previewUrl: `${url}?variant=preview`, thumbnailUrl: `${url}?variant=thumbnail` } : { url, previewUrl: null, thumbnailUrl: null };
}

export function toFileDto(file: StoredFileSummary, channelId: string, messageId: string | null): FileDto {
  return {
    id: file.id,
    channelId,
    uploaderId: file.uploaderId,
    name: file.name,
    size: Number(file.size),
    mimeType: file.mimeType,
    width: file.width,
    height: file.height,
    kind: file.kind,
    ...fileUrls(file.id, file.kind),
    messageId,
    createdAt: file.createdAt,
  };
}
