import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
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
import { ThreadRepository } from './thread.repository';
import { ThreadService } from './thread.service';
import { ThreadsController } from './threads.controller';

@Module({
  imports: [ChannelsModule, PresenceModule],
  controllers: [MessagesController, MessageChangesController, ThreadsController, MessageMarksController],
  providers: [MessageRepository, MentionRepository, MentionResolver, MessagesService, MessageChangesService, ThreadRepository, ThreadService, MessageMarksService],
  exports: [MessagesService, MessageChangesService],
})
export class MessagesModule {}
