import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StoredFileSummary } from './file-mapper';
import { fileKind } from './file-types';

/** A files row as the statements here select it. */
export interface AttachedFileRow {
  id: string;
  channel_id: string;
  uploader_id: string;
  message_id: string | null;
  name: string;
  size: string | number;
  mime_type: string;
  width: number | null;
  height: number | null;
  preview_key: string | null;
  created_at: Date | string;
}

/** Where a file's bytes are in the storage: the original and, for an image, its renditions. */
export interface StoredBytes {
  id: string;
  /** Still without a message: its row goes too once the bytes are gone. */
  unattached: boolean;
  keys: string[];
}

// An UPDATE … RETURNING is wrapped in a CTE and selected, so TypeORM's query() answers its rows (for a bare UPDATE it answers [rows, count]).
const FILE_COLUMNS = 'id, channel_id, uploader_id, message_id, name, size, mime_type, width, height, preview_key, created_at';

/** messages.files (and a listing's FileDto): what is shown of one attached file. */
export function toFileSummary(row: AttachedFileRow): StoredFileSummary {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    mimeType: row.mime_type,
    width: row.width,
    height: row.height,
    kind: fileKind(row.mime_type, row.preview_key !== null),
    uploaderId: row.uploader_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * The files of the conversation: attaching uploads to the message that carries them, taking
 * them away with it, listing a channel's, and finding what the sweeper removes. (Uploading and
 * reading one file is FileRepository's.)
 */
@Injectable()
export class FileAttachmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Attaches the files to message `messageId`, inside the transaction that stores it: only files
   * the sender uploaded to this channel, never sent, not removed. The rows are locked by the
   * UPDATE, so two sends of one file cannot both take it (the second finds message_id set). The
   * summaries come back in `fileIds` order; null when any id was not attachable (the caller then
   * rolls the whole send back).
   */
  async attach(
    messageId: string,
    send: { userId: string; channelId: string; fileIds: string[] },
    manager: EntityManager,
  ): Promise<StoredFileSummary[] | null> {
    const rows: AttachedFileRow[] = await manager.query(
      `WITH attached AS (
         UPDATE files SET message_id = $1
          WHERE id = ANY($2::uuid[]) AND uploader_id = $3 AND channel_id = $4 AND message_id IS NULL AND deleted_at IS NULL
         RETURNING ${FILE_COLUMNS}
       ) SELECT * FROM attached`,
      [messageId, send.fileIds, send.userId, send.channelId],
    );
    if (rows.length !== send.fileIds.length) return null;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return send.fileIds.map((id) => toFileSummary(byId.get(id)!));
  }

  /** The files of a message being deleted leave every read path, inside its transaction (the sweeper purges their bytes). */
  async deleteOfMessage(messageId: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE files SET deleted_at = now() WHERE message_id = $1 AND deleted_at IS NULL`, [messageId]);
  }

  /**
   * Up to `limit` attached, not deleted files of the channel, the newest upload first (ties by
   * id), after the file `before` in that order when given (keyset paging on IDX_files_channel_attached).
   */
  listAttached(
    channelId: string,
    before: { createdAt: Date | string; id: string } | null,
    limit: number,
  ): Promise<AttachedFileRow[]> {
    return this.dataSource.query(
      `SELECT ${FILE_COLUMNS} FROM files
        WHERE channel_id = $1 AND message_id IS NOT NULL AND deleted_at IS NULL
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [channelId, before?.createdAt ?? null, before?.id ?? null, limit],
    );
  }

  /** Where a paging cursor is: the file `id` of the channel (any state, so a page stays valid when it is deleted meanwhile); null if none. */
  async findCursor(channelId: string, id: string): Promise<{ createdAt: Date | string; id: string } | null> {
    const rows: { created_at: Date | string; id: string }[] = await this.dataSource.query(
      `SELECT id, created_at FROM files WHERE id = $1 AND channel_id = $2`,
      [id, channelId],
    );
    return rows[0] ? { createdAt: rows[0].created_at, id: rows[0].id } : null;
  }

  /**
   * Up to `limit` files uploaded before `cutoff` and never attached are removed from every path
   * (deleted_at = `now`): from here on no send can attach them, and the purge takes their bytes
   * and then their rows. Answers how many.
   */
  async expireUnattached(cutoff: Date, now: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH expired AS (
         UPDATE files SET deleted_at = $2
          WHERE id IN (SELECT id FROM files WHERE message_id IS NULL AND deleted_at IS NULL AND created_at < $1
                        ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            AND message_id IS NULL AND deleted_at IS NULL
         RETURNING id
       ) SELECT id FROM expired`,
      [cutoff, now, limit],
    );
    return rows.length;
  }

  /**
   * Up to `limit` files of deleted workspaces (workspaces are soft-deleted: the row stays for its
   * audit log) are removed from every path, so the purge takes their bytes. Answers how many.
   */
  async expireOfDeletedWorkspaces(now: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH expired AS (
         UPDATE files SET deleted_at = $1
          WHERE id IN (SELECT f.id FROM workspaces w JOIN files f ON f.workspace_id = w.id AND f.deleted_at IS NULL
                        WHERE w.deleted_at IS NOT NULL LIMIT $2 FOR UPDATE OF f SKIP LOCKED)
         RETURNING id
       ) SELECT id FROM expired`,
      [now, limit],
    );
    return rows.length;
  }

  /**
   * Up to `limit` removed files whose bytes are still stored, the longest removed first: what the
   * sweeper may purge. The legal-hold hook: the governance issue adds its condition here (a held
   * file is not purgeable), and nothing else decides whether bytes may go.
   */
  async findPurgeable(limit: number): Promise<StoredBytes[]> {
    const rows: {
      id: string;
      message_id: string | null;
      storage_key: string;
      preview_key: string | null;
      thumbnail_key: string | null;
    }[] = await this.dataSource.query(
      `SELECT id, message_id, storage_key, preview_key, thumbnail_key FROM files
          WHERE deleted_at IS NOT NULL AND purged_at IS NULL
          ORDER BY deleted_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      unattached: row.message_id === null,
      keys: [row.storage_key, row.preview_key, row.thumbnail_key].filter((key): key is string => key !== null),
    }));
  }

  /**
   * The bytes of these files are gone: attached ones keep their row (what the message had, for
   * audit and eDiscovery) with purged_at set, never-attached ones lose it.
   */
  async markPurged(ids: string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM files WHERE id = ANY($1::uuid[]) AND message_id IS NULL AND deleted_at IS NOT NULL`, [
        ids,
      ]);
      await manager.query(`UPDATE files SET purged_at = $2 WHERE id = ANY($1::uuid[]) AND purged_at IS NULL`, [ids, now]);
    });
  }
}
