import { AuditEventDto } from '@parley/contracts';
import { CSV_HEADER, csvCell, exportChunks, toCheckpointLine, toCsvLine, toJsonLine } from './audit-export.service';
import { StoredAuditEvent } from './audit-rows';

const event: AuditEventDto = {
  id: 'e1',
  workspaceId: 'w1',
  seq: 7,
  occurredAt: '2026-01-02T03:04:05.006123Z',
  actorId: null,
  action: 'channel.create',
  targetType: 'channel',
  targetId: 'c1',
  outcome: 'success',
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0 (X11, Linux)',
  details: { status: 201, name: 'a "b"' },
  prevHash: 'p',
  hash: 'h',
  hashVersion: 2,
};

describe('CSV export', () => {
  it('quotes what needs quoting and leaves the rest bare', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('writes one CRLF-terminated row per event, in the header order', () => {
    expect(CSV_HEADER).toBe(
      'id,workspaceId,seq,occurredAt,actorId,action,targetType,targetId,outcome,ip,userAgent,details,prevHash,hash,hashVersion\r\n',
    );
    expect(toCsvLine(event)).toBe(
      'e1,w1,7,2026-01-02T03:04:05.006123Z,,channel.create,channel,c1,success,10.0.0.1,"Mozilla/5.0 (X11, Linux)","{""status"":201,""name"":""a \\""b\\""""}",p,h,2\r\n',
    );
  });
});

describe('JSONL export', () => {
  it('writes each event as one line of JSON, exactly', () => {
    const line = toJsonLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });
});

describe('exportChunks', () => {
  const checkpoint = {
    id: 'k1',
    workspaceId: 'w1',
    eventCount: 7,
    headHash: 'h',
    createdAt: '2026-01-02T03:04:06.000001Z',
    reason: 'export',
    signature: 's',
  };
  async function text(format: 'csv' | 'jsonl'): Promise<string> {
    async function* batches(): AsyncGenerator<StoredAuditEvent[]> {
      yield [{ ...event, targetType: 'channel' } as StoredAuditEvent];
    }
    let out = '';
    for await (const chunk of exportChunks(batches(), format, async () => [checkpoint])) out += chunk;
    return out;
  }

  it('ends a JSONL export with the signed checkpoints, one line each', async () => {
    const lines = (await text('jsonl')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ id: 'e1', hash: 'h' });
    expect(JSON.parse(lines[1])).toEqual({ checkpoint });
    expect(toCheckpointLine(checkpoint)).toBe(`${lines[1]}\n`);
  });

  it('keeps the CSV export to the events', async () => {
    const csv = await text('csv');
    expect(csv.startsWith(CSV_HEADER)).toBe(true);
    expect(csv).not.toContain('export,s');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
  });
});
