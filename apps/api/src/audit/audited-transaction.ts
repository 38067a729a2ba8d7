import type { DataSource, EntityManager } from 'typeorm';
import { AuditContext } from './audit-context';

/**
 * Runs `work` in a transaction that also appends the current request's success event, last,
 * before the commit: the change and its audit event are stored together or not at all. When
 * the event cannot be written the change is rolled back and the client gets an error (503),
 * never a 2xx for something the log does not show. `recordIf` leaves the event out when the
 * transaction's result is a failure the request goes on to throw (the exception filter then
 * records it, as it does every refusal and error).
 *
 * Outside an audited request (socket events, timers), or once the request's event is written,
 * this is a plain transaction. Services call it instead of `dataSource.transaction` for the
 * change a mutating route makes; the interceptor writes the event of a request whose handler
 * changed nothing (a no-op join) after the handler returns.
 */
export async function auditedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  recordIf: (result: T) => boolean = () => true,
): Promise<T> {
  const audit = pendingRequestAudit();
  if (!audit) return dataSource.transaction(work);
  let result: T;
  try {
    // The event goes into the outbox with the change: no lock on the chain, so the audited
    // actions of a workspace commit side by side and never hold a channel's row while waiting.
    result = await dataSource.transaction(async (manager) => {
      const value = await work(manager);
      if (recordIf(value)) await audit.record(manager);
      return value;
    });
  } catch (error) {
    audit.rolledBack();
    throw error;
  }
  await audit.committed();
  return result;
}

/** The current request's success event, for a transaction to write: what auditedTransaction does with it, in three steps. */
export interface RequestAudit {
  /** Writes the event inside the transaction (into the outbox). */
  record(manager: EntityManager): Promise<void>;
  /** Once committed: the event takes its place in the chain (before the answer leaves). */
  committed(): Promise<void>;
  /** Rolled back with the change: the exception filter records the failure instead. */
  rolledBack(): void;
}

/**
 * The current request's success event while it is still to be written: undefined outside an
 * audited request (socket events, timers) or once it is written. For a transaction made
 * elsewhere, shared by many requests (a batch of edits, see MessageChangesService).
 */
export function pendingRequestAudit(): RequestAudit | undefined {
  const store = AuditContext.current();
  const record = store && !store.recorded ? store.recordIn : undefined;
  if (!store || !record) return undefined;
  return {
    record,
    committed: async () => store.afterCommit?.(),
    rolledBack: () => {
      store.recorded = false;
      store.queued = undefined;
    },
  };
}
