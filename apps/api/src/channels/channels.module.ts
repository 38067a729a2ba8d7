import { Module } from '@nestjs/common';
import { ChannelRepository } from './channel.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { DmsService } from './dms.service';
import { WorkspaceEventsListener } from './workspace-events.listener';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelRepository, ChannelsService, DmsService, WorkspaceEventsListener],
  exports: [ChannelsService],
})
export class ChannelsModule {}
