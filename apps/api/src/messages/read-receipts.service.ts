import { Injectable } from '@nestjs/common';
import { ChannelReadsDto, READ_RECEIPTS_MAX_MEMBERS, ReadReceiptsUnavailable } from '@parley/contracts';
import { Actor, AccessService } from '../access/access.service';
import { ChannelAction } from '../access/access.rules';
import { AppException } from '../common/app-exception';
import { ReadReceiptRepository, ReceiptsRow } from './read-receipt.repository';

/** Why a viewer sees no receipts in a channel, or null when they see them. */
function unavailable(row: ReceiptsRow): ReadReceiptsUnavailable | null {
  if (!row.workspace_on) return 'workspace';
  if (!row.viewer_on) return 'you';
  if (!row.small) return 'too_large';
  return null;
}

/**
 * Read receipts: who has read how far, for the people allowed to know. The same rule answers
 * `GET /api/channels/:id/reads` and picks who gets a `readUpdate` (see the event in contracts):
 * a reader's position reaches exactly the members whose own list would show it.
 */
@Injectable()
export class ReadReceiptsService {
  constructor(
    private readonly access: AccessService,
    private readonly receipts: ReadReceiptRepository,
  ) {}

  async reads(actor: Actor, channelId: string): Promise<ChannelReadsDto> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    const row = await this.receipts.find(channelId, actor.userId, READ_RECEIPTS_MAX_MEMBERS);
    // No row: the channel was deleted since the check.
    if (!row) throw AppException.notFound('Channel');
    const reason = unavailable(row);
    if (reason) return { available: false, unavailableReason: reason, reads: [] };
    return { available: true, unavailableReason: null, reads: row.reads.map(({ userId, lastReadSeq }) => ({ userId, lastReadSeq: Number(lastReadSeq) })) };
  }

  /**
   * The other members who are told, as a read receipt, that `readerId` read on: those who send
   * receipts themselves, when the workspace and the reader allow them and the channel is small.
   * The reader's list and theirs are one and the same (the relation is symmetric).
   */
  async audience(channelId: string, readerId: string): Promise<string[]> {
    const row = await this.receipts.find(channelId, readerId, READ_RECEIPTS_MAX_MEMBERS);
    return row && !unavailable(row) ? row.reads.map((read) => read.userId) : [];
  }
}
