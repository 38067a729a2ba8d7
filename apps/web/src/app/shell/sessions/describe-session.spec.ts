import { describeUserAgent, relativeTime, sessionActivity } from './describe-session';

describe('sessionActivity', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  const eightMinutesAgo = '2026-11-20T09:52:00Z';

  it('says the session in use is active now, however long ago its tokens were refreshed', () => {
    expect(sessionActivity({ current: true, lastUsedAt: eightMinutesAgo }, now)).toBe('Active now');
  });

  it('says when any other session was last used', () => {
    expect(sessionActivity({ current: false, lastUsedAt: eightMinutesAgo }, now)).toBe(`Active ${relativeTime(eightMinutesAgo, now)}`);
    expect(sessionActivity({ current: false, lastUsedAt: eightMinutesAgo }, now)).toMatch(/8/);
  });
});

describe('describeUserAgent', () => {
  it('names the browser and the system', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(describeUserAgent(null)).toBe('Unknown device');
  });
});
