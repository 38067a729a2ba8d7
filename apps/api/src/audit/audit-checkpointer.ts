import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** How often each instance anchors the heads of the chains that grew. */
export const CHECKPOINT_INTERVAL_MS = 5 * 60_000;

/**
 * Every few minutes, a signed checkpoint of each chain that has had events since the last
 * round, so a quiet chain's newest events are anchored too, not only every CHECKPOINT_EVERY
 * events. Any number of instances may run it: a checkpoint that already names the head is
 * not written again.
 */
@Injectable()
export class AuditCheckpointer {
  private readonly logger = new Logger('Audit');
  /** Since when to look for grown chains; the first round (after a start) looks at all of them. */
  private since = new Date(0);

  constructor(
    private readonly repository: AuditRepository,
    private readonly audit: AuditService,
  ) {}

  @Interval('audit-checkpoints', CHECKPOINT_INTERVAL_MS)
  async run(): Promise<void> {
    // With a margin: an event committed late still has a time taken before this round began.
    const started = new Date(Date.now() - 60_000);
    try {
      const chains = await this.repository.findChainsWithEventsSince(this.since);
      for (const workspaceId of chains) await this.audit.checkpoint(workspaceId, 'timer');
      this.since = started;
    } catch (error) {
      this.logger.warn(`Could not write the audit checkpoints: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
