import { countUnread } from '@parley/contracts';

// The one unread formula (DESIGN.md: "Unread counts are channel.lastSeq - member.lastReadSeq").
describe('countUnread', () => {
  it('is the newest seq minus the read position', () => {
    expect(countUnread(10, 4)).toBe(6);
    expect(countUnread(10, 10)).toBe(0);
    expect(countUnread(0, 0)).toBe(0);
  });

  it('is never negative when the read position runs ahead of a list fetched a moment earlier', () => {
    expect(countUnread(3, 5)).toBe(0);
  });
});
