import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditOutboxSweeper } from './audit-outbox-sweeper';
import { AuditContextMiddleware } from './audit-context.middleware';
import { AuditExportService } from './audit-export.service';
import { AuditQueryService } from './audit-query.service';
import { AuditRequestRecorder } from './audit-request-recorder';
import { AuditRoutes } from './audit-routes';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { deriveAuditKey } from './audit-hash';
import { AuditRepository } from './audit.repository';
import { AUDIT_KEY, AuditService } from './audit.service';

/**
 * The tamper-evident audit log. Every HTTP request gets an audit context (middleware); every
 * mutating request (but those marked @NotAudited), every @Audited GET and every 403 leaves
 * exactly one event, written before the answer. A success is written inside the action's own
 * transaction (auditedTransaction) into the outbox, and moved into its chain once that has
 * committed, before the answer leaves; or by the interceptor when the handler changed nothing;
 * refusals and failures by the exception filter, after the rollback. Other modules may append
 * events of their own with AuditService.record().
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditController],
  providers: [
    // A KeyObject, derived once: the key itself stays in the environment, never in the database.
    {
      provide: AUDIT_KEY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => deriveAuditKey(config.auditKey ?? config.jwtSecret),
    },
    AuditRepository,
    AuditService,
    AuditCheckpointer,
    AuditOutboxSweeper,
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
