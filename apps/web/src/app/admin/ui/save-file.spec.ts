import { filenameFromDisposition } from './save-file';

describe('filenameFromDisposition', () => {
  it('reads the quoted and the RFC 5987 forms', () => {
    expect(filenameFromDisposition('attachment; filename="audit-1-2026-03-01.csv"')).toBe('audit-1-2026-03-01.csv');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''audit%20log.jsonl")).toBe('audit log.jsonl');
    expect(filenameFromDisposition('attachment; filename=plain.csv')).toBe('plain.csv');
  });

  it('never lets a name climb out of the downloads folder, and copes with no header', () => {
    expect(filenameFromDisposition('attachment; filename="../../evil.csv"')).toBe('.._.._evil.csv');
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
  });
});
