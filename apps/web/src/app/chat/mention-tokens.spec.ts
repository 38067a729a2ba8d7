import { decodeMentions, encodeMentions, insertPick, type MentionNames, mentionQuery, mentionsAsText, nameMatches, picksInText } from './mention-tokens';

const ANA = '0a0a0a0a-0000-4000-8000-000000000001';
const ANA2 = '0a0a0a0a-0000-4000-8000-000000000002';
const GENERAL = '0c0c0c0c-0000-4000-8000-000000000001';
const GONE = '0d0d0d0d-0000-4000-8000-000000000009';

const names: MentionNames = {
  userName: (id) => ({ [ANA]: 'Ana Lima', [ANA2]: 'Ana Lima' })[id] ?? null,
  channelName: (id) => (id === GENERAL ? 'general' : null),
};

describe('mentionQuery (what is typed at the caret)', () => {
  it('finds @ and # at the start of a word, with up to two words after them', () => {
    expect(mentionQuery('hi @Br', 6)).toEqual({ trigger: '@', query: 'Br', start: 3 });
    expect(mentionQuery('@', 1)).toEqual({ trigger: '@', query: '', start: 0 });
    expect(mentionQuery('see #gen', 8)).toEqual({ trigger: '#', query: 'gen', start: 4 });
    expect(mentionQuery('(@ana', 5)).toEqual({ trigger: '@', query: 'ana', start: 1 });
    expect(mentionQuery('hey @Ana Li', 11)).toEqual({ trigger: '@', query: 'Ana Li', start: 4 });
  });

  it('is none inside an email address or a word, after a finished name, or away from the caret', () => {
    expect(mentionQuery('ana@example', 11)).toBeNull();
    expect(mentionQuery('issue#12', 8)).toBeNull();
    expect(mentionQuery('@Ana Lima ', 10)).toBeNull();
    expect(mentionQuery('@Ana and more', 13)).toBeNull();
    expect(mentionQuery('@Br and', 3)).toEqual({ trigger: '@', query: 'Br', start: 0 });
    expect(mentionQuery('line\n@', 6)).toEqual({ trigger: '@', query: '', start: 5 });
  });
});

describe('insertPick', () => {
  it('replaces what was typed by the name and a space, and puts the caret after them', () => {
    const query = mentionQuery('hi @br, ok', 6)!;
    expect(insertPick('hi @br, ok', 6, query, '@Bruno Costa')).toEqual({ text: 'hi @Bruno Costa , ok', caret: 16 });
    const end = mentionQuery('hi @br', 6)!;
    expect(insertPick('hi @br', 6, end, '@Bruno Costa')).toEqual({ text: 'hi @Bruno Costa ', caret: 16 });
    // A space already after the caret is not doubled.
    expect(insertPick('@b next', 2, mentionQuery('@b next', 2)!, '@Bruno')).toEqual({ text: '@Bruno next', caret: 7 });
  });
});

describe('encodeMentions (on send)', () => {
  it('turns only the names picked into tokens, longest first', () => {
    const picks = [
      { kind: 'user' as const, id: ANA, label: '@Ana Lima' },
      { kind: 'channel' as const, id: GENERAL, label: '#general' },
    ];
    expect(encodeMentions('@Ana Lima see #general, @Ana Lima!', picks)).toBe(`<@${ANA}> see <#${GENERAL}>, <@${ANA}>!`);
    // Typed by hand, not picked: plain text.
    expect(encodeMentions('@Bruno and @Ana', picks)).toBe('@Bruno and @Ana');
    expect(encodeMentions('@Ana Lima', [])).toBe('@Ana Lima');
  });

  it('leaves a picked name the person changed afterwards, and one inside a longer word', () => {
    const picks = [{ kind: 'user' as const, id: ANA, label: '@Ana' }];
    expect(encodeMentions('@Anabel and @Ana_x and @Ana.', picks)).toBe(`@Anabel and @Ana_x and <@${ANA}>.`);
  });

  it('is not fooled by names with regex characters', () => {
    const picks = [{ kind: 'user' as const, id: ANA, label: '@A.(b)*' }];
    expect(encodeMentions('@A.(b)* @Axxbbb', picks)).toBe(`<@${ANA}> @Axxbbb`);
  });
});

describe('decodeMentions (editing) and back', () => {
  it('shows names for tokens and gives the picks that write them back unchanged', () => {
    const stored = `hi <@${ANA}> in <#${GENERAL}> and <@${GONE}> and <#${GONE}>`;
    const { text, picks } = decodeMentions(stored, names);
    expect(text).toBe(`hi @Ana Lima in #general and <@${GONE}> and <#${GONE}>`);
    expect(encodeMentions(text, picks)).toBe(stored);
  });

  it('keeps the second of two people with the same name as a token, so saving cannot swap them', () => {
    const stored = `<@${ANA}> and <@${ANA2}>`;
    const { text, picks } = decodeMentions(stored, names);
    expect(text).toBe(`@Ana Lima and <@${ANA2}>`);
    expect(encodeMentions(text, picks)).toBe(stored);
  });

  it('reads upper-case ids as the same id', () => {
    expect(decodeMentions(`<@${ANA.toUpperCase()}>`, names).text).toBe('@Ana Lima');
  });
});

describe('picksInText, mentionsAsText, nameMatches', () => {
  it('forgets picks whose name is gone from the text', () => {
    const picks = [
      { kind: 'user' as const, id: ANA, label: '@Ana Lima' },
      { kind: 'channel' as const, id: GENERAL, label: '#general' },
    ];
    expect(picksInText('@Ana Lim and #general', picks)).toEqual([picks[1]]);
  });

  it('writes tokens as names for plain-text places, unknown ones as @unknown / #unknown', () => {
    expect(mentionsAsText(`<@${ANA}> see <#${GENERAL}>, <@${GONE}> <#${GONE}>`, names)).toBe('@Ana Lima see #general, @unknown #unknown');
  });

  it('matches the start of the name or of one of its words, whatever the case and accents', () => {
    expect(nameMatches('Ana Lima', 'li')).toBe(true);
    expect(nameMatches('Ana Lima', 'ana l')).toBe(true);
    expect(nameMatches('José Álvarez', 'alv')).toBe(true);
    expect(nameMatches('bruno.costa', 'cos')).toBe(true);
    expect(nameMatches('Ana Lima', 'ima')).toBe(false);
    expect(nameMatches('Ana Lima', '')).toBe(true);
  });
});
