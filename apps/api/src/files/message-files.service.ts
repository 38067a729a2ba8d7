import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FileError, FileException } from '@api/common/domain-errors';
import { FileAttachmentsRepository } from './file-attachments.repository';
import type { StoredFileSummary } from './file-mapper';

/** A fileIds entry that is not the sender's upload to this channel, not yet sent: the whole send is refused. */
const notAttachable = () => new FileException(FileError.NotAttachable, 'A file is not one you uploaded to this channel and have not sent yet');

/**
 * What the messages module asks of the files one: attach uploads to the message being stored,
 * take them away with the message being deleted, each inside the caller's transaction.
 */
@Injectable()
export class MessageFilesService {
  constructor(private readonly attachments: FileAttachmentsRepository) {}

  /**
   * Attaches `send.fileIds` to message `messageId`: the summaries for messages.files, in that
   * order. Throws 400 FILE_NOT_ATTACHABLE when any is not the sender's upload to this channel,
   * unsent and not removed; the caller's transaction then rolls back, message and all.
   */
  async attach(messageId: string, send: { userId: string; channelId: string; fileIds: string[] }, manager: EntityManager): Promise<StoredFileSummary[]> {
    const files = await this.attachments.attach(messageId, send, manager);
    if (!files) throw notAttachable();
    return files;
  }

  /** The files of a message being deleted leave every read path (the sweeper purges their bytes). */
  deleteOfMessage(messageId: string, manager: EntityManager): Promise<void> {
    return this.attachments.deleteOfMessage(messageId, manager);
  }
}
