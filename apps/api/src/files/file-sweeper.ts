import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { FILE_UNATTACHED_TTL_HOURS } from '@parley/contracts';
import { FileAttachmentsRepository } from './file-attachments.repository';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';

/** How often each instance sweeps. */
export const FILE_SWEEP_INTERVAL_MS = 10 * 60_000;
/** Files per statement: one round never holds many row locks or runs long. */
const BATCH = 200;
/** Batches per round and step at most: a big backlog is worked off over several rounds. */
const MAX_BATCHES = 25;

export interface SweepResult {
  /** Files taken out of every path this round: never attached after the TTL, or of a deleted workspace. */
  expired: number;
  /** Files whose bytes were removed from the storage. */
  purged: number;
}

/**
 * Every ten minutes, in bounded batches: files uploaded and never attached for
 * FILE_UNATTACHED_TTL_HOURS, and the files of deleted workspaces, are taken out of every read
 * path (deleted_at; from then on no send can attach them); then the bytes of removed files
 * (those too, and those of deleted messages) are deleted from the storage and the rows marked
 * purged, or, for never-attached ones, deleted. Which removed files may be purged is
 * FileAttachmentsRepository.findPurgeable's to say (legal hold adds its condition there). Any
 * number of instances may sweep at once: each step skips rows another holds, and removing
 * bytes already gone is no error.
 */
@Injectable()
export class FileSweeper {
  private readonly logger = new Logger('Files');
  private running = false;

  constructor(
    private readonly attachments: FileAttachmentsRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  @Interval('file-sweeper', FILE_SWEEP_INTERVAL_MS)
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { expired, purged } = await this.sweep(new Date());
      if (expired || purged) this.logger.log(`Swept files: ${expired} removed, ${purged} purged from the storage`);
    } catch (error) {
      this.logger.warn(`Could not sweep the files: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  /** One round as of `now` (tests pass their own clock). */
  async sweep(now: Date): Promise<SweepResult> {
    const cutoff = new Date(now.getTime() - FILE_UNATTACHED_TTL_HOURS * 3600_000);
    let expired = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = await this.attachments.expireUnattached(cutoff, now, BATCH);
      expired += count;
      if (count < BATCH) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = await this.attachments.expireOfDeletedWorkspaces(now, BATCH);
      expired += count;
      if (count < BATCH) break;
    }
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const files = await this.attachments.findPurgeable(BATCH);
      const done: string[] = [];
      for (const file of files) {
        try {
          for (const key of file.keys) await this.storage.delete(key);
          done.push(file.id);
        } catch (error) {
          // Left for the next round (its row says the bytes are still there).
          this.logger.warn(
            `Could not remove the bytes of file ${file.id}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      await this.attachments.markPurged(done, now);
      purged += done.length;
      if (files.length < BATCH || done.length < files.length) break;
    }
    return { expired, purged };
  }
}
