import { mentions } from './notifier';

describe('mentions', () => {
  it('finds @name in any case, and @here/@channel', () => {
    expect(mentions('hey @Ana Lima, look', 'Ana Lima')).toBe(true);
    expect(mentions('ping @here', 'Ana')).toBe(true);
    expect(mentions('Ana, look', 'Ana')).toBe(false);
    expect(mentions('email ana@example.com', 'Ana')).toBe(false);
  });
});
