import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FilesModule } from './files/files.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MessagesModule } from './messages/messages.module';
import { PresenceModule } from './presence/presence.module';
import { AccessDeclarationInterceptor } from './access/access-declarations';
import { AccessGuard } from './access/access.guard';
import { AccessModule } from './access/access.module';
import { RbacModule } from './rbac/rbac.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RedisModule } from './redis/redis.module';
import { UsersModule } from './users/users.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        EventsModule,
        // Timers and crons (@Interval, @Cron) of every module: the audit checkpoints, for one.
        ScheduleModule.forRoot(),
        DatabaseModule,
        RedisModule,
        MailModule,
        RateLimitModule,
        RbacModule,
        AccessModule,
        AuditModule,
        AuthModule,
        UsersModule,
        WorkspacesModule,
        ChannelsModule,
        MessagesModule,
        FilesModule,
        PresenceModule,
        RealtimeModule,
        HealthModule,
      ],
      // Global guards run in this order: who is calling, then what they may do here.
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AccessDeclarationInterceptor },
      ],
    };
  }
}
