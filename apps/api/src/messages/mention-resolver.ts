import { Injectable } from '@nestjs/common';
import { Permission } from '@parley/contracts';
import { AccessService } from '../access/access.service';
import { PresenceService } from '../presence/presence.service';
import { MentionRepository } from './mention.repository';
import { broadcastAllowed, broadcastsIn, isHere, MentionTokens, mentionTokensOf, ResolvedMentions, settleMentions } from './mentions';

/**
 * Resolves the mentions of a text being stored or edited, before the statement that stores it:
 * one query when the text has tokens, none when it has not. Who may use @channel/@here is the
 * workspace's `broadcastMentions` (managers: holders of channel.manage, asked of the access
 * service); @here reaches the members online now.
 */
@Injectable()
export class MentionResolver {
  constructor(
    private readonly mentions: MentionRepository,
    private readonly access: AccessService,
    private readonly presence: PresenceService,
  ) {}

  /** Null when the text names nobody and nothing; MESSAGE_TOO_MANY_MENTIONS when it names too many people. */
  async resolve(senderId: string, channelId: string, text: string): Promise<ResolvedMentions | null> {
    const tokens = mentionTokensOf(text);
    if (!tokens) return null;
    const facts = await this.mentions.findFacts(channelId, senderId, tokens.userIds, tokens.channelIds, tokens.broadcast !== null);
    // No such channel: the send is refused as it would be without mentions.
    if (!facts) return null;
    const found = {
      channelType: facts.type,
      workspaceMemberIds: facts.known_ids,
      channelMemberIds: facts.member_ids,
      readableChannelIds: facts.channel_ids,
    };
    if (tokens.broadcast === null || !broadcastsIn(facts.type)) return settleMentions(tokens, found, { allowed: false, reached: [] });
    const allowed = await broadcastAllowed(facts.policy ?? undefined, async () => (await this.access.forWorkspace(senderId, facts.workspace_id))?.can(Permission.ChannelManage) ?? false);
    return settleMentions(tokens, found, { allowed, reached: allowed ? await this.reached(tokens, facts.all_member_ids ?? []) : [] });
  }

  /** Whom @channel (every member) or @here (those online now) reaches. */
  private async reached(tokens: MentionTokens, memberIds: string[]): Promise<string[]> {
    if (tokens.broadcast === 'channel' || memberIds.length === 0) return memberIds;
    return (await this.presence.forUsers(memberIds)).filter((presence) => isHere(presence.status)).map((presence) => presence.userId);
  }
}
