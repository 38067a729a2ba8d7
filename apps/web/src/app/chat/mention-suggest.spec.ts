import { mentionOptions, type MentionSources } from './mention-suggest';
import { mentionQuery } from './mention-tokens';

const sources: MentionSources = {
  me: 'me',
  channelMembers: [
    { userId: 'me', displayName: 'Me Myself' },
    { userId: 'bruno', displayName: 'Bruno Costa' },
  ],
  workspaceMembers: [
    { userId: 'me', displayName: 'Me Myself' },
    { userId: 'bruno', displayName: 'Bruno Costa' },
    { userId: 'bea', displayName: 'Beatriz Brum' },
  ],
  channels: [
    { id: 'c1', name: 'general' },
    { id: 'c2', name: 'random' },
  ],
  direct: false,
};

const labels = (text: string, changes: Partial<MentionSources> = {}) =>
  mentionOptions(mentionQuery(text, text.length)!, { ...sources, ...changes }).map((o) => `${o.label}${o.hint ? ` (${o.hint})` : ''}`);

describe('mentionOptions (the autocomplete list)', () => {
  it('lists people of the channel first, then others of the workspace, then @channel and @here; never oneself', () => {
    expect(labels('@')).toEqual([
      '@Bruno Costa',
      '@Beatriz Brum (Not in this channel)',
      '@channel (Notify everyone in this channel)',
      '@here (Notify everyone online in this channel)',
    ]);
  });

  it('filters by what follows the @, on any word of the name', () => {
    expect(labels('@bru')).toEqual(['@Bruno Costa', '@Beatriz Brum (Not in this channel)']);
    expect(labels('@cos')).toEqual(['@Bruno Costa']);
    expect(labels('@he')).toEqual(['@here (Notify everyone online in this channel)']);
    expect(labels('@zz')).toEqual([]);
  });

  it('offers no @channel or @here in a DM', () => {
    expect(labels('@', { direct: true })).toEqual(['@Bruno Costa', '@Beatriz Brum']);
  });

  it('calls nobody "not in this channel" while the channel\'s people are being fetched', () => {
    expect(labels('@bru', { channelMembers: null })).toEqual(['@Bruno Costa', '@Beatriz Brum']);
  });

  it('lists channels for #', () => {
    expect(labels('#')).toEqual(['#general', '#random']);
    expect(labels('#ra')).toEqual(['#random']);
  });

  it('shows at most 8 lines, keeping @channel and @here', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ userId: `u${i}`, displayName: `Person ${i}` }));
    const list = labels('@', { workspaceMembers: many, channelMembers: [] });
    expect(list.length).toBe(8);
    expect(list.slice(-2).map((l) => l.split(' ')[0])).toEqual(['@channel', '@here']);
  });
});
