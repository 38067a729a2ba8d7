import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { DmsService } from './dms.service';
import { WorkspaceEventsListener } from './workspace-events.listener';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelsService, DmsService, WorkspaceEventsListener],
  exports: [ChannelsService],
})
export class ChannelsModule {}
