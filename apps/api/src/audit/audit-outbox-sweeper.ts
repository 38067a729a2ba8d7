import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditService } from './audit.service';

/** How often each instance looks for events left in the outbox. */
export const OUTBOX_SWEEP_INTERVAL_MS = 5000;
/** An event waiting longer than this lost its drain (the instance stopped, the database failed it). */
const STALE_AFTER_MS = 3000;

/**
 * Chains the audit events a request committed but could not chain itself (its instance crashed
 * between the commit and the drain, or the drain failed), within seconds. Any number of
 * instances may sweep at once: drains of one chain take turns on its lock, and an event is
 * taken out of the outbox in the transaction that chains it.
 */
@Injectable()
export class AuditOutboxSweeper {
  private readonly logger = new Logger('Audit');
  private running = false;

  constructor(private readonly audit: AuditService) {}

  @Interval('audit-outbox', OUTBOX_SWEEP_INTERVAL_MS)
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const chains = await this.audit.drainStale(new Date(Date.now() - STALE_AFTER_MS));
      if (chains) this.logger.warn(`Chained audit events left in the outbox of ${chains} chain(s)`);
    } catch (error) {
      this.logger.warn(`Could not sweep the audit outbox: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
