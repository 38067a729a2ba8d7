import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditContextMiddleware } from './audit-context.middleware';
import { AuditExportService } from './audit-export.service';
import { AuditQueryService } from './audit-query.service';
import { AuditRequestRecorder } from './audit-request-recorder';
import { AuditRoutes } from './audit-routes';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { AuditEvent } from './entities/audit-event.entity';

/**
 * The tamper-evident audit log. Every HTTP request gets an audit context (middleware); every
 * mutating request, every @Audited GET and every 403 leaves exactly one event, written before
 * the answer: successes by the interceptor, refusals and failures by the exception filter.
 * Other modules may append events of their own with AuditService.record().
 */
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditController],
  providers: [
    AuditService,
    AuditQueryService,
    AuditExportService,
    AuditRoutes,
    AuditRequestRecorder,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditService],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every path the app serves (the API under its prefix, and the routes excluded from it).
    consumer.apply(AuditContextMiddleware).forRoutes('/{*path}');
  }
}
