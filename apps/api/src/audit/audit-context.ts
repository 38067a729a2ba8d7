import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import type { AuditRoute } from './audit-routes';

/** What a service may tell the audit log about the request it is serving. */
export interface AuditAnnotations {
  workspaceId?: string | null;
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  /** Merged into the event's details. Never message bodies, codes, tokens or other secrets. */
  details?: Record<string, unknown>;
}

/** The audit log's view of one HTTP request, from the middleware to the answer. */
export interface AuditStore extends AuditAnnotations {
  /** How the route is audited, once the interceptor has seen its handler. */
  route?: AuditRoute;
  /** Set when the request's event has been written: one event per request. */
  recorded?: boolean;
  /**
   * Writes the request's success event with `manager`, inside the action's transaction (see
   * auditedTransaction), into the outbox: the transaction takes no lock on the chain. Set by the
   * interceptor for the requests it would record.
   */
  recordIn?: (manager: EntityManager) => Promise<void>;
  /** The chains `recordIn` queued events for, until `afterCommit` has chained them. */
  queued?: Set<string | null>;
  /**
   * Once the action's transaction has committed: moves its queued event into its chain (one
   * transaction under the chain's lock, shared with whatever else is waiting there), so the
   * event is in the log before the answer leaves. Never throws: an event it could not chain
   * waits in the outbox for the next drain or the sweep.
   */
  afterCommit?: () => Promise<void>;
}

/**
 * The per-request audit context. The middleware opens it for every HTTP request; services
 * add to it with `AuditContext.annotate()` (the new channel's id, the signed-in user) without
 * being handed the request; the interceptor or the exception filter writes the event.
 */
export class AuditContext {
  private static readonly storage = new AsyncLocalStorage<AuditStore>();

  /** Runs `fn` (and everything it starts) with `store` as the current request's context. */
  static run<T>(store: AuditStore, fn: () => T): T {
    return AuditContext.storage.run(store, fn);
  }

  /** The current request's context; undefined outside an HTTP request (socket events, cron jobs). */
  static current(): AuditStore | undefined {
    return AuditContext.storage.getStore();
  }

  /** Adds to the event of the current request. Does nothing outside an HTTP request. */
  static annotate(annotations: AuditAnnotations): void {
    const store = AuditContext.storage.getStore();
    if (!store) return;
    const { details, ...fields } = annotations;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (store as Record<string, unknown>)[key] = value;
    }
    if (details) store.details = { ...store.details, ...details };
  }
}
