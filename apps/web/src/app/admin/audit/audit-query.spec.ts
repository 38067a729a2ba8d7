import { EMPTY_AUDIT_QUERY, endOfLocalDay, isEmptyRange, startOfLocalDay, toAuditParams } from './audit-query';

describe('audit query', () => {
  it('reads date inputs as local days', () => {
    expect(startOfLocalDay('2026-03-05')).toEqual(new Date(2026, 2, 5));
    expect(endOfLocalDay('2026-03-31')).toEqual(new Date(2026, 3, 1));
    expect(startOfLocalDay('')).toBeNull();
    expect(startOfLocalDay('05/03/2026')).toBeNull();
  });

  it('sends only the filters that are set, trimmed', () => {
    const params = toAuditParams({ ...EMPTY_AUDIT_QUERY, action: ' invite.create ', targetId: '  ' });
    expect(params.keys()).toEqual(['action']);
    expect(params.get('action')).toBe('invite.create');
  });

  it('knows a range that ends before it starts', () => {
    expect(isEmptyRange({ ...EMPTY_AUDIT_QUERY, from: '2026-03-05', to: '2026-03-04' })).toBe(true);
    expect(isEmptyRange({ ...EMPTY_AUDIT_QUERY, from: '2026-03-05', to: '2026-03-05' })).toBe(false);
    expect(isEmptyRange({ ...EMPTY_AUDIT_QUERY, to: '2026-03-05' })).toBe(false);
  });
});
