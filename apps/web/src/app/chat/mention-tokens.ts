import { CHANNEL_MENTION_PATTERN, USER_MENTION_PATTERN } from '@parley/contracts';

/**
 * A name the composer put in the text by picking it from the list (`@Ana Lima`, `#general`), and
 * what it stands for. Only picked names become tokens on send: "@Ana" typed by hand stays text.
 */
export interface MentionPick {
  kind: 'user' | 'channel';
  id: string;
  /** As it shows in the textarea, with its `@` or `#`. */
  label: string;
}

/** What the text right before the caret is typing: `@` or `#` and the letters after it. */
export interface MentionQuery {
  trigger: '@' | '#';
  query: string;
  /** Where the trigger character is in the text. */
  start: number;
}

/**
 * `@` or `#` at the start of a word, then up to two words (names have spaces: "@Ana Li"), up to the
 * caret. An email address (`ana@x`) or `a#b` is no trigger.
 */
const QUERY_BEFORE_CARET = /(?:^|[^\p{L}\p{M}\p{N}_@#])([@#])([^\s@#<>]{0,40}(?: [^\s@#<>]{0,40})?)$/u;

/** The mention being typed at `caret`, or null when the caret is not in one. */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = QUERY_BEFORE_CARET.exec(before);
  if (!match) return null;
  const trigger = match[1] as '@' | '#';
  return { trigger, query: match[2], start: caret - match[2].length - 1 };
}

/** The text with the query at `query.start…caret` replaced by `label` and a space; the caret goes after them. */
export function insertPick(text: string, caret: number, query: MentionQuery, label: string): { text: string; caret: number } {
  const inserted = `${label} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, query.start) + inserted + after, caret: query.start + inserted.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A label where it stands as a word of its own: not inside a longer word on either side. */
function labelPattern(label: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])${escapeRegExp(label)}(?![\\p{L}\\p{M}\\p{N}_])`, 'gu');
}

/**
 * The text as it is sent: each picked name becomes its token (`<@id>`, `<#id>`). Longer labels go
 * first, so "@Ana Lima" is not taken for "@Ana" followed by " Lima". A picked name the person then
 * changed ("@Ana Limas") is no longer the name picked, and stays text.
 */
export function encodeMentions(text: string, picks: readonly MentionPick[]): string {
  const byLabel = new Map<string, MentionPick>();
  for (const pick of picks) byLabel.set(pick.label, pick);
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length);
  if (!labels.length) return text;
  const pattern = new RegExp(labels.map((label) => labelPattern(label).source).join('|'), 'gu');
  return text.replace(pattern, (label) => {
    const pick = byLabel.get(label)!;
    return pick.kind === 'user' ? `<@${pick.id}>` : `<#${pick.id}>`;
  });
}

/** Current names for tokens; null for an id that names nobody (it stays a token). */
export interface MentionNames {
  userName(id: string): string | null;
  channelName(id: string): string | null;
}

/**
 * Stored text → what the editor shows: tokens become names, and the picks that turn them back on
 * save. A token whose id names nobody known stays as it is (saving keeps it), and so does one whose
 * name is already taken by someone else in this text (two people called Ana): a name may stand for
 * one person only, or saving would swap them.
 */
export function decodeMentions(text: string, names: MentionNames): { text: string; picks: MentionPick[] } {
  const picks = new Map<string, MentionPick>();
  const pattern = new RegExp(`${USER_MENTION_PATTERN.source}|${CHANNEL_MENTION_PATTERN.source}`, 'gi');
  const decoded = text.replace(pattern, (token, userId: string | undefined, channelId: string | undefined) => {
    const kind = userId ? 'user' : 'channel';
    const id = (userId ?? channelId ?? '').toLowerCase();
    const name = kind === 'user' ? names.userName(id) : names.channelName(id);
    if (!name) return token;
    const label = `${kind === 'user' ? '@' : '#'}${name}`;
    const taken = picks.get(label);
    if (taken && (taken.id !== id || taken.kind !== kind)) return token;
    picks.set(label, { kind, id, label });
    return label;
  });
  return { text: decoded, picks: [...picks.values()] };
}

/**
 * Text with every token written as the name it stands for (`@Ana Lima`, `#general`, `@unknown`):
 * for the places that show a message as plain text (a notification, an excerpt, the pins list).
 */
export function mentionsAsText(text: string, names: MentionNames): string {
  const pattern = new RegExp(`${USER_MENTION_PATTERN.source}|${CHANNEL_MENTION_PATTERN.source}`, 'gi');
  return text.replace(pattern, (_token, userId: string | undefined, channelId: string | undefined) =>
    userId ? `@${names.userName(userId.toLowerCase()) ?? 'unknown'}` : `#${names.channelName((channelId ?? '').toLowerCase()) ?? 'unknown'}`,
  );
}

/** Keeps the picks whose label is still in the text (the rest were deleted or changed). */
export function picksInText(text: string, picks: readonly MentionPick[]): MentionPick[] {
  return picks.filter((pick) => labelPattern(pick.label).test(text));
}

/** Whether `query` matches a name: the name, or one of its words, starts with it (case and accents aside). */
export function nameMatches(name: string, query: string): boolean {
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = fold(query.trim());
  if (!wanted) return true;
  const full = fold(name);
  return full.startsWith(wanted) || full.split(/[\s._-]+/u).some((word) => word.startsWith(wanted));
}
