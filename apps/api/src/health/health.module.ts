import { Module } from '@nestjs/common';
import { RealtimeModule } from '../realtime/realtime.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';

@Module({ imports: [RealtimeModule], controllers: [HealthController], providers: [HealthRepository] })
export class HealthModule {}
