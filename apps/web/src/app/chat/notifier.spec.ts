import { mentionHandles, mentions, shouldNotify } from './notifier';

describe('mentionHandles', () => {
  it('is the full name and each of its words, in lower case', () => {
    expect(mentionHandles('Bruno Costa')).toEqual(['bruno costa', 'bruno', 'costa']);
    expect(mentionHandles('Ana')).toEqual(['ana']);
  });

  it('splits dotted, underscored and hyphenated words too (names made from an email)', () => {
    expect(mentionHandles('ana.lima')).toEqual(['ana.lima', 'ana', 'lima']);
    expect(mentionHandles('Jean-Luc Picard')).toEqual(['jean-luc picard', 'jean-luc', 'picard', 'jean', 'luc']);
  });

  it('drops punctuation around words, extra spaces and one-letter words', () => {
    expect(mentionHandles('  Ana   (Ops)  ')).toEqual(['ana ops', 'ana', 'ops']);
    expect(mentionHandles('J. Smith')).toEqual(['j smith', 'smith']);
    expect(mentionHandles('')).toEqual([]);
    expect(mentionHandles('   ')).toEqual([]);
  });
});

describe('mentions', () => {
  const cases: [text: string, name: string, expected: boolean][] = [
    // A word of the name, and the full name.
    ['hey @Bruno, look', 'Bruno Costa', true],
    ['hey @Costa', 'Bruno Costa', true],
    ['hey @Bruno Costa, look', 'Bruno Costa', true],
    ['@bruno', 'Bruno Costa', true],
    ['@BRUNO COSTA', 'Bruno Costa', true],
    ['@Bruno   Costa', 'Bruno Costa', true],
    // Where a mention may stand: start, end, after punctuation, before punctuation.
    ['@Bruno', 'Bruno Costa', true],
    ['thanks @Bruno', 'Bruno Costa', true],
    ['(@Bruno)', 'Bruno Costa', true],
    ['ask @Bruno.', 'Bruno Costa', true],
    ["@Bruno's idea", 'Bruno Costa', true],
    ['line one\n@Bruno line two', 'Bruno Costa', true],
    ['@ana, @Bruno: lunch?', 'Bruno Costa', true],
    // Word boundary: a longer name is someone else.
    ['hey @Brunella', 'Bruno Costa', false],
    ['hey @Brunos', 'Bruno Costa', false],
    ['hey @Bruno2', 'Bruno Costa', false],
    ['hey @Bruno_', 'Bruno Costa', false],
    ['hey @Costanza', 'Bruno Costa', false],
    // Not a mention at all.
    ['Bruno, look', 'Bruno Costa', false],
    ['mail bruno@example.com', 'Bruno Costa', false],
    ['mail x@bruno.example', 'Bruno Costa', false],
    ['@@Bruno', 'Bruno Costa', false],
    ['@ Bruno', 'Bruno Costa', false],
    ['', 'Bruno Costa', false],
    // Everyone's words.
    ['ping @here', 'Ana', true],
    ['@channel standup now', 'Ana', true],
    ['@everyone: release is out', 'Ana', true],
    ['@HERE', 'Ana', true],
    ['see here', 'Ana', false],
    ['@channels are listed', 'Ana', false],
    ['mail me at ana@here.com', 'Ana', false],
    // Names that are not plain ASCII, and names with characters special to regular expressions.
    ['olá @José', 'José Álvarez', true],
    ['olá @álvarez', 'José Álvarez', true],
    ['olá @Josélito', 'José Álvarez', false],
    ['hi @Ops', 'Ana (Ops)', true],
    ['hi @a+b', 'a+b', true],
    ['hi @aab', 'a+b', false],
    ['hi @ana.lima', 'ana.lima', true],
    ['hi @ana', 'ana.lima', true],
    ['hi @anaxlima', 'ana.lima', false],
    // One-letter words are no handle; with no name, only the broadcasts count.
    ['@j look', 'J. Smith', false],
    ['@Smith look', 'J. Smith', true],
    ['@Someone', '', false],
    ['@here', '', true],
  ];

  for (const [text, name, expected] of cases) {
    it(`${expected ? 'finds' : 'does not find'} ${JSON.stringify(name)} in ${JSON.stringify(text)}`, () => {
      expect(mentions(text, name)).toBe(expected);
    });
  }
});

describe('shouldNotify', () => {
  it('rings for a DM and for a mention, not for other channel messages', () => {
    expect(shouldNotify({ text: 'lunch?', direct: true, myName: 'Ana Lima', myStatus: 'online' })).toBe(true);
    expect(shouldNotify({ text: 'lunch, @Ana?', direct: false, myName: 'Ana Lima', myStatus: 'online' })).toBe(true);
    expect(shouldNotify({ text: 'lunch?', direct: false, myName: 'Ana Lima', myStatus: 'online' })).toBe(false);
  });

  it('rings while away or invisible (shown offline)', () => {
    expect(shouldNotify({ text: '@Ana', direct: false, myName: 'Ana Lima', myStatus: 'away' })).toBe(true);
    expect(shouldNotify({ text: 'hi', direct: true, myName: 'Ana Lima', myStatus: 'offline' })).toBe(true);
  });

  it('never rings during Do Not Disturb, not even for a DM or @here', () => {
    expect(shouldNotify({ text: 'hi', direct: true, myName: 'Ana Lima', myStatus: 'dnd' })).toBe(false);
    expect(shouldNotify({ text: '@Ana Lima', direct: false, myName: 'Ana Lima', myStatus: 'dnd' })).toBe(false);
    expect(shouldNotify({ text: '@here', direct: false, myName: 'Ana Lima', myStatus: 'dnd' })).toBe(false);
  });
});
