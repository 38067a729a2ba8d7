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
   * auditedTransaction). Set by the interceptor for the requests it would record.
   */
  recordIn?: (manager: EntityManager) => Promise<void>;
  /**
   * Takes the lock of the chain that event will extend, first thing in the action's transaction
   * (auditedTransaction): the action then never holds its own row locks (a channel's, which
   * every send to that channel needs) while it waits its turn on the chain.
   */
  lockIn?: (manager: EntityManager) => Promise<void>;
  /**
   * Runs the action's whole transaction in this instance's turn on that chain (ChainTurns), so
   * waiting for the chain does not hold a pooled connection.
   */
  inTurn?: <T>(work: () => Promise<T>) => Promise<T>;
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
