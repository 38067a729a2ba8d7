import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Interval('audit-checkpoints', CHECKPOINT_INTERVAL_MS)
  async run(): Promise<void> {
    // With a margin: an event committed late still has a time taken before this round began.
    const started = new Date(Date.now() - 60_000);
    try {
      const chains: { workspace_id: string | null }[] = await this.dataSource.query(
        'SELECT DISTINCT workspace_id FROM audit_events WHERE occurred_at >= $1',
        [this.since],
      );
      for (const { workspace_id } of chains) await this.audit.checkpoint(workspace_id, 'timer');
      this.since = started;
    } catch (error) {
      this.logger.warn(`Could not write the audit checkpoints: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
