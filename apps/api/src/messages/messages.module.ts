import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { FilesModule } from '../files/files.module';
import { PresenceModule } from '../presence/presence.module';
import { MessageChangesController } from './message-changes.controller';
import { MessageChangesService } from './message-changes.service';
import { MessageMarksController } from './message-marks.controller';
import { MessageMarksService } from './message-marks.service';
import { MentionRepository } from './mention.repository';
import { MentionResolver } from './mention-resolver';
import { MessageRepository } from './message.repository';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { ReadReceiptRepository } from './read-receipt.repository';
import { ReadReceiptsController } from './read-receipts.controller';
import { ReadReceiptsService } from './read-receipts.service';
import { ThreadRepository } from './thread.repository';
import { ThreadService } from './thread.service';
import { ThreadsController } from './threads.controller';

@Module({
  imports: [ChannelsModule, PresenceModule, FilesModule],
  controllers: [MessagesController, MessageChangesController, ThreadsController, MessageMarksController, ReadReceiptsController],
  providers: [
    MessageRepository,
    MentionRepository,
    MentionResolver,
    MessagesService,
    MessageChangesService,
    ThreadRepository,
    ThreadService,
    MessageMarksService,
    ReadReceiptRepository,
    ReadReceiptsService,
  ],
  exports: [MessagesService, MessageChangesService, MessageMarksService, ReadReceiptsService],
})
export class MessagesModule {}
