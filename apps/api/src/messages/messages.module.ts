import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MessageChangesController } from './message-changes.controller';
import { MessageChangesService } from './message-changes.service';
import { MessageRepository } from './message.repository';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [ChannelsModule],
  controllers: [MessagesController, MessageChangesController],
  providers: [MessageRepository, MessagesService, MessageChangesService],
  exports: [MessagesService, MessageChangesService],
})
export class MessagesModule {}
