import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StoredFile } from './entities/stored-file.entity';

export type NewStoredFile = Pick<
  StoredFile,
  'id' | 'workspaceId' | 'channelId' | 'uploaderId' | 'name' | 'size' | 'mimeType' | 'sha256' | 'width' | 'height' | 'storageKey' | 'previewKey' | 'thumbnailKey'
>;

/** An arbitrary constant: with the workspace's id, the advisory lock under which its quota is checked and spent. */
const QUOTA_LOCK_CLASS = 14_140_001;

/** The files table: the only place that queries it. */
@Injectable()
export class FileRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Bytes the workspace's files take that are not deleted (what FILE_QUOTA_BYTES counts). */
  async usedBytes(workspaceId: string): Promise<number> {
    const rows: { used: string | null }[] = await this.dataSource.query(
      `SELECT coalesce(sum(size), 0)::text AS used FROM files WHERE workspace_id = $1 AND deleted_at IS NULL`,
      [workspaceId],
    );
    return Number(rows[0]?.used ?? 0);
  }

  /**
   * Stores the rows of one upload, unless they would take the workspace past `quota` bytes (then
   * nothing is stored and false is answered). Uploads to one workspace take turns here, so two
   * cannot both fit in the room left for one.
   */
  async insertWithinQuota(files: NewStoredFile[], quota: number | null): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (quota !== null) {
        const workspaceId = files[0].workspaceId;
        await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [QUOTA_LOCK_CLASS, workspaceId]);
        const rows: { used: string }[] = await manager.query(
          `SELECT coalesce(sum(size), 0)::text AS used FROM files WHERE workspace_id = $1 AND deleted_at IS NULL`,
          [workspaceId],
        );
        const adding = files.reduce((sum, file) => sum + file.size, 0);
        if (Number(rows[0].used) + adding > quota) return false;
      }
      await manager.getRepository(StoredFile).insert(files.map((file) => ({ ...file, messageId: null, deletedAt: null, purgedAt: null })));
      return true;
    });
  }

  async findById(id: string): Promise<StoredFile | null> {
    return this.dataSource.getRepository(StoredFile).findOneBy({ id });
  }

  async findByIds(ids: string[]): Promise<StoredFile[]> {
    if (!ids.length) return [];
    const found = await this.dataSource
      .getRepository(StoredFile)
      .createQueryBuilder('f')
      .where('f.id = ANY(:ids)', { ids })
      .getMany();
    const byId = new Map(found.map((file) => [file.id, file]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }
}
