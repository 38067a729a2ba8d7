import { Injectable, Logger } from '@nestjs/common';
import { ApiErrorBody, AuditOutcome } from '@parley/contracts';
import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import { AppException } from '../common/app-exception';
import { CommonError } from '../common/error-answers';
import type { AuthUser } from '../auth/current-user';
import type { WorkspaceAccess } from '../access/workspace-access';
import { AuditStore } from './audit-context';
import { AuditRoute, AuditRoutes, isAuditable, outcomeFor } from './audit-routes';
import { AuditService } from './audit.service';

/** A request as the guards leave it. */
export interface AuditedRequest extends Request {
  user?: AuthUser;
  access?: WorkspaceAccess;
}

/**
 * Turns one HTTP request into its audit event: a success inside the action's transaction
 * (auditedTransaction, through the store's `recordIn`) or, when the handler changed nothing,
 * from the interceptor once it has returned; a refusal or failure from the exception filter
 * (through the middleware's hook) before the error answer leaves. The event names the actor,
 * workspace and target the services annotated, else what the guards and the route tell.
 * A success whose event cannot be written fails the request (503; inside a transaction, the
 * change is rolled back with it); a failure whose event cannot be written is logged, and the
 * error answer still goes.
 */
@Injectable()
export class AuditRequestRecorder {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditService,
    private readonly routes: AuditRoutes,
  ) {}

  /** Takes the lock of the chain the request's event will extend, inside `manager`'s transaction. */
  lockChain(request: AuditedRequest, store: AuditStore, manager: EntityManager): Promise<void> {
    return this.audit.lockChain(chainOf(request, store), manager);
  }

  /** Runs `work` (the action's transaction) in this instance's turn on the chain the request's event will extend. */
  inTurn<T>(request: AuditedRequest, store: AuditStore, work: () => Promise<T>): Promise<T> {
    return this.audit.inTurn(chainOf(request, store), work);
  }

  /**
   * A success: with `manager`, inside the action's transaction (the handler has not returned
   * yet, so `result` is unknown); without, after the handler, `result` being what it returned.
   */
  async recordSuccess(
    request: AuditedRequest,
    store: AuditStore,
    route: AuditRoute,
    status: number,
    result: unknown,
    manager?: EntityManager,
  ): Promise<void> {
    const target = route.targetFromResponse ? idOf(result) : param(request, route.targetParam);
    try {
      await this.write(request, store, route, 'success', target, { status }, manager);
    } catch (error) {
      store.recorded = false;
      this.logger.error(`Could not write the audit event ${route.action} (success): ${describe(error)}`);
      throw AppException.of(
        CommonError.Unavailable,
        manager
          ? 'The audit log could not be written, so nothing was changed; try again'
          : 'The audit log could not be written; try again',
      );
    }
  }

  /** Before an error answer leaves: what the guards refused, and what the handler failed to do. */
  async recordFailure(request: AuditedRequest, store: AuditStore, error: ApiErrorBody): Promise<void> {
    if (store.recorded) return;
    // No controller route matched (an unknown path, a body that did not parse): nothing was asked to change.
    const route = store.route ?? this.routes.lookup(request.route as object | undefined);
    if (!route || !isAuditable(request.method, route, error.statusCode)) return;
    const target = route.targetFromResponse ? null : param(request, route.targetParam);
    const outcome = outcomeFor(error.statusCode, route);
    try {
      await this.write(request, store, route, outcome, target, { status: error.statusCode, errorCode: error.code });
    } catch (failure) {
      this.logger.error(`Could not write the audit event ${route.action} (${outcome}): ${describe(failure)}`);
    }
  }

  private async write(
    request: AuditedRequest,
    store: AuditStore,
    route: AuditRoute,
    outcome: AuditOutcome,
    target: string | null,
    facts: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<void> {
    if (store.recorded) return;
    store.recorded = true;
    await this.audit.record(
      {
        workspaceId: chainOf(request, store),
        actorId: store.actorId !== undefined ? store.actorId : (request.user?.userId ?? null),
        action: route.action,
        targetType: store.targetType ?? route.targetType,
        targetId: store.targetId ?? target,
        outcome,
        ip: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        details: { ...store.details, ...facts },
      },
      manager,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function param(request: Request, name: string): string | null {
  const value: unknown = request.params?.[name];
  return typeof value === 'string' ? value : null;
}

function idOf(result: unknown): string | null {
  const id: unknown = result !== null && typeof result === 'object' ? (result as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}

/** The workspace whose chain the request's event extends (null: the global one). */
function chainOf(request: AuditedRequest, store: AuditStore): string | null {
  return store.workspaceId !== undefined ? store.workspaceId : (request.access?.workspaceId ?? null);
}
