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
  const store = AuditContext.current();
  const record = store && !store.recorded ? store.recordIn : undefined;
  if (!store || !record) return dataSource.transaction(work);
  const inTurn = store.inTurn ?? ((run: () => Promise<T>) => run());
  try {
    // This instance's appenders to the chain take turns before they take a connection.
    return await inTurn(() =>
      dataSource.transaction(async (manager) => {
        // The chain first, then whatever `work` locks: an action never holds a channel's row
        // while it queues for the chain (every send to that channel would queue behind it).
        // The event's chain is known by now (the guards and the service's annotations set it);
        // should `work` annotate another workspace, record takes that chain's lock as well.
        await store.lockIn?.(manager);
        const result = await work(manager);
        if (recordIf(result)) await record(manager);
        return result;
      }),
    );
  } catch (error) {
    // Rolled back with the change: the exception filter records the failure instead.
    store.recorded = false;
    throw error;
  }
}
