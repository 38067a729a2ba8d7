import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MessageRepository } from './message.repository';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [ChannelsModule],
  controllers: [MessagesController],
  providers: [MessageRepository, MessagesService],
  exports: [MessagesService],
})
export class MessagesModule {}
