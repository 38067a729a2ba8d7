import { Injectable, Logger } from '@nestjs/common';
import { ApiErrorBody, AuditOutcome } from '@parley/contracts';
import type { Request } from 'express';
import type { AuthUser } from '../auth/current-user';
import type { WorkspaceAccess } from '../rbac/workspace-access';
import { AuditStore } from './audit-context';
import { AuditRoute, AuditRoutes, isAuditable, outcomeFor } from './audit-routes';
import { AuditService } from './audit.service';

/** A request as the guards leave it. */
export interface AuditedRequest extends Request {
  user?: AuthUser;
  access?: WorkspaceAccess;
}

/**
 * Turns one HTTP request into its audit event: the interceptor calls it when a handler has
 * succeeded, the exception filter (through the middleware's hook) before an error answer
 * leaves. The event names the actor, workspace and target the services annotated, else what
 * the guards and the route tell; a failure to write it is logged and the answer still goes.
 */
@Injectable()
export class AuditRequestRecorder {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditService,
    private readonly routes: AuditRoutes,
  ) {}

  /** After the handler succeeded; `result` is what it returned. */
  async recordSuccess(
    request: AuditedRequest,
    store: AuditStore,
    route: AuditRoute,
    status: number,
    result: unknown,
  ): Promise<void> {
    const target = route.targetFromResponse ? idOf(result) : param(request, route.targetParam);
    await this.write(request, store, route, 'success', target, { status });
  }

  /** Before an error answer leaves: what the guards refused, and what the handler failed to do. */
  async recordFailure(request: AuditedRequest, store: AuditStore, error: ApiErrorBody): Promise<void> {
    if (store.recorded) return;
    // No controller route matched (an unknown path, a body that did not parse): nothing was asked to change.
    const route = store.route ?? this.routes.lookup(request.route as object | undefined);
    if (!route || !isAuditable(request.method, route, error.statusCode)) return;
    const target = route.targetFromResponse ? null : param(request, route.targetParam);
    await this.write(request, store, route, outcomeFor(error.statusCode, route), target, {
      status: error.statusCode,
      errorCode: error.code,
    });
  }

  private async write(
    request: AuditedRequest,
    store: AuditStore,
    route: AuditRoute,
    outcome: AuditOutcome,
    target: string | null,
    facts: Record<string, unknown>,
  ): Promise<void> {
    if (store.recorded) return;
    store.recorded = true;
    try {
      await this.audit.record({
        workspaceId: store.workspaceId !== undefined ? store.workspaceId : (request.access?.workspaceId ?? null),
        actorId: store.actorId !== undefined ? store.actorId : (request.user?.userId ?? null),
        action: route.action,
        targetType: store.targetType ?? route.targetType,
        targetId: store.targetId ?? target,
        outcome,
        ip: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        details: { ...store.details, ...facts },
      });
    } catch (error) {
      this.logger.error(
        `Could not write the audit event ${route.action} (${outcome}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
}

function param(request: Request, name: string): string | null {
  const value: unknown = request.params?.[name];
  return typeof value === 'string' ? value : null;
}

function idOf(result: unknown): string | null {
  const id: unknown = result !== null && typeof result === 'object' ? (result as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}
