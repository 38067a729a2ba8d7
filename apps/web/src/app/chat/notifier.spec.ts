import { mentionsUser, NO_MENTIONS } from '@parley/contracts';

import { shouldNotify } from './notifier';

describe('shouldNotify', () => {
  it('rings for a DM and for a mention, not for other channel messages', () => {
    expect(shouldNotify({ direct: true, mentioned: false, myStatus: 'online' })).toBe(true);
    expect(shouldNotify({ direct: false, mentioned: true, myStatus: 'online' })).toBe(true);
    expect(shouldNotify({ direct: false, mentioned: false, myStatus: 'online' })).toBe(false);
  });

  it('rings while away or invisible (shown offline)', () => {
    expect(shouldNotify({ direct: false, mentioned: true, myStatus: 'away' })).toBe(true);
    expect(shouldNotify({ direct: true, mentioned: false, myStatus: 'offline' })).toBe(true);
  });

  it('never rings during Do Not Disturb, not even for a DM or @here', () => {
    expect(shouldNotify({ direct: true, mentioned: false, myStatus: 'dnd' })).toBe(false);
    expect(shouldNotify({ direct: false, mentioned: true, myStatus: 'dnd' })).toBe(false);
  });

  // What ChatStore passes as `mentioned`: the server's list, never the words of the text.
  it('takes "mentioned" from the server’s list: a name typed by hand is no mention, @here is one for everyone but the sender', () => {
    const message = (mentions = NO_MENTIONS) => ({ senderId: 'bruno', mentions });
    expect(mentionsUser(message(), 'ana')).toBe(false);
    expect(mentionsUser(message({ userIds: ['ana'], channelIds: [], broadcast: null }), 'ana')).toBe(true);
    expect(mentionsUser(message({ userIds: [], channelIds: [], broadcast: 'here' }), 'ana')).toBe(true);
    expect(mentionsUser(message({ userIds: [], channelIds: [], broadcast: 'here' }), 'bruno')).toBe(false);
  });
});
