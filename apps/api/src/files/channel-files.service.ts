import { Injectable } from '@nestjs/common';
import { FilePage } from '@parley/contracts';
import { ChannelAction } from '@api/access/access.rules';
import { AccessService, Actor } from '@api/access/access.service';
import { AppException } from '@api/common/app-exception';
import { FileAttachmentsRepository, toFileSummary } from './file-attachments.repository';
import { toFileDto } from './file-mapper';

const DEFAULT_PAGE = 50;

/** The files of a channel's conversation (what a "Files" tab shows). */
@Injectable()
export class ChannelFilesService {
  constructor(
    private readonly access: AccessService,
    private readonly attachments: FileAttachmentsRepository,
  ) {}

  /**
   * A page of the channel's files attached to messages not deleted, the newest upload first,
   * for whoever may read the channel; `before` is the id of the last file of the page before.
   */
  async list(actor: Actor, channelId: string, query: { before?: string; limit?: number }): Promise<FilePage> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    const limit = query.limit ?? DEFAULT_PAGE;
    const cursor = query.before === undefined ? null : await this.attachments.findCursor(channelId, query.before);
    if (query.before !== undefined && !cursor) {
      throw AppException.invalid('before is not a file of this channel', [
        { field: 'before', errors: ['before must be the id of a file of this channel (nextBefore)'] },
      ]);
    }
    const rows = await this.attachments.listAttached(channelId, cursor, limit + 1);
    const items = rows.slice(0, limit).map((row) => toFileDto(toFileSummary(row), row.channel_id, row.message_id));
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }
}
