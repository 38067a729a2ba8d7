import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { RealtimeGateway } from './realtime.gateway';

@Module({
  imports: [AuthModule, ChannelsModule, MessagesModule, PresenceModule],
  // The verifier belongs in AuthModule (exported); provided here until that module is free to change.
  providers: [RealtimeGateway],
  exports: [RealtimeGateway],
})
export class RealtimeModule {}
