import { Module } from '@nestjs/common';
import { PresenceController } from './presence.controller';
import { PresenceService } from './presence.service';
import { TypingService } from './typing.service';

@Module({
  controllers: [PresenceController],
  providers: [PresenceService, TypingService],
  exports: [PresenceService, TypingService],
})
export class PresenceModule {}
