import { MENTIONS_PER_MESSAGE_MAX, MessageErrorCode } from '@parley/contracts';
import { broadcastAllowed, MentionFacts, mentionTokensOf, settleMentions } from './mentions';

const ana = '00000000-0000-4000-8000-00000000000a';
const bruno = '00000000-0000-4000-8000-00000000000b';
const stranger = '00000000-0000-4000-8000-00000000000c';
const general = '00000000-0000-4000-8000-0000000000c1';
const secret = '00000000-0000-4000-8000-0000000000c2';

const facts = (changes: Partial<MentionFacts> = {}): MentionFacts => ({
  channelType: 'public',
  workspaceMemberIds: [ana, bruno],
  channelMemberIds: [ana],
  readableChannelIds: [general],
  ...changes,
});

describe('mentionTokensOf', () => {
  it('is null for a text without tokens, so a plain send resolves nothing', () => {
    expect(mentionTokensOf('hello @ana, mail me at x@here.com')).toBeNull();
  });

  it('refuses more than MENTIONS_PER_MESSAGE_MAX different people, and counts each person once', () => {
    const ids = Array.from({ length: MENTIONS_PER_MESSAGE_MAX + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(mentionTokensOf(ids.slice(0, -1).map((id) => `<@${id}> <@${id}>`).join(' '))?.userIds).toHaveLength(MENTIONS_PER_MESSAGE_MAX);
    expect(() => mentionTokensOf(ids.map((id) => `<@${id}>`).join(' '))).toThrow(expect.objectContaining({ code: MessageErrorCode.TooManyMentions }));
  });
});

describe('settleMentions', () => {
  it('keeps only what resolved, in the order written; a named non-member is told to the sender and not notified', () => {
    const tokens = mentionTokensOf(`<@${stranger}> <@${bruno}> <@${ana}> <#${secret}> <#${general}>`)!;
    expect(settleMentions(tokens, facts(), { allowed: false, reached: [] })).toEqual({
      mentions: { userIds: [bruno, ana], channelIds: [general], broadcast: null },
      notify: [ana],
      mentionedNonMembers: [bruno],
      broadcastRefused: null,
    });
  });

  it('@channel reaches whom it reached when allowed, and is refused (kept as a word) when not', () => {
    const tokens = mentionTokensOf('@channel and @here')!;
    expect(settleMentions(tokens, facts(), { allowed: true, reached: [ana, bruno] })).toMatchObject({
      mentions: { broadcast: 'channel' },
      notify: [ana, bruno],
      broadcastRefused: null,
    });
    expect(settleMentions(tokens, facts(), { allowed: false, reached: [] })).toEqual({ mentions: null, notify: [], mentionedNonMembers: [], broadcastRefused: 'channel' });
  });

  it('in a DM, @here is a plain word and nobody is "not in the channel"', () => {
    const tokens = mentionTokensOf(`@here <@${bruno}>`)!;
    expect(settleMentions(tokens, facts({ channelType: 'dm' }), { allowed: true, reached: [ana, bruno] })).toEqual({
      mentions: { userIds: [bruno], channelIds: [], broadcast: null },
      notify: [],
      mentionedNonMembers: [],
      broadcastRefused: null,
    });
  });
});

describe('broadcastAllowed', () => {
  it('everyone by default, managers only when they are, nobody never (asking nothing)', async () => {
    const ask = jest.fn(async () => true);
    await expect(broadcastAllowed(undefined, ask)).resolves.toBe(true);
    await expect(broadcastAllowed('everyone', ask)).resolves.toBe(true);
    await expect(broadcastAllowed('nobody', ask)).resolves.toBe(false);
    expect(ask).not.toHaveBeenCalled();
    await expect(broadcastAllowed('managers', ask)).resolves.toBe(true);
    await expect(broadcastAllowed('managers', async () => false)).resolves.toBe(false);
  });
});
