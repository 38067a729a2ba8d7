import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelDto, GROUP_DM_MAX_PEOPLE } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { enforceWorkspaceRuleOnTarget, WorkspaceAction } from '../access/access.rules';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { ChannelError, ChannelException } from '../common/domain-errors';
import { WorkspaceAccess } from '../access/workspace-access';
import { ChannelRepository } from './channel.repository';
import { ChannelsService } from './channels.service';

/**
 * Direct messages: one conversation per set of people (2 for a DM, 3–8 for a group DM),
 * found or made on request. Without dm.create (guests) one may only message people who
 * share a channel with them (WorkspaceAction.OpenDm).
 */
@Injectable()
export class DmsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly channelRows: ChannelRepository,
  ) {}

  async open(access: WorkspaceAccess, otherUserIds: string[]): Promise<ChannelDto> {
    const people = [...new Set([access.userId, ...otherUserIds])].sort();
    if (people.length < 2 || people.length > GROUP_DM_MAX_PEOPLE) {
      throw new ChannelException(ChannelError.ConversationSize, `A conversation has 2 to ${GROUP_DM_MAX_PEOPLE} people, you included`);
    }
    const others = people.filter((id) => id !== access.userId);
    await this.requireReachable(access, others);

    const type = people.length === 2 ? 'dm' : 'group_dm';
    const dmKey = people.join(',');
    const id = await auditedTransaction(this.dataSource, async (manager) => {
      const dm = await this.channelRows.findOrInsertDm({ workspaceId: access.workspaceId, type, dmKey, createdBy: access.userId, people }, manager);
      AuditContext.annotate({ targetId: dm.id, details: { channelId: dm.id, created: dm.created } });
      return dm;
    });
    if (id.created) await this.channels.membersAdded(access.workspaceId, id.id, people);
    return this.channels.get(access, id.id);
  }

  private async requireReachable(access: WorkspaceAccess, others: string[]): Promise<void> {
    const rows = await this.channelRows.dmCandidates(access.workspaceId, access.userId, others);
    if (rows.length !== others.length) {
      throw new ChannelException(ChannelError.NotInWorkspace, 'Everyone in a conversation must be an active member of the workspace');
    }
    enforceWorkspaceRuleOnTarget(access, WorkspaceAction.OpenDm, { sharesChannelWithAll: rows.every((row) => row.shares_channel) });
  }
}
