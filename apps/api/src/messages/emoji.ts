import { readFileSync } from 'node:fs';
import type { EmojiMartData } from '@emoji-mart/data';

/*
 * The emoji a reaction may use: exactly those of @emoji-mart/data (the set the web picker
 * offers), each skin-tone variant included. The package's main file is its JSON, read once at
 * start (it is a data file, not a module TypeScript can import without resolveJsonModule).
 */
const data = JSON.parse(readFileSync(require.resolve('@emoji-mart/data'), 'utf8')) as EmojiMartData;

/**
 * Variation selectors (U+FE0E text, U+FE0F emoji presentation) change how an emoji is drawn,
 * not which emoji it is, and clients send them inconsistently ("❤" and "❤️"; "👍" and "👍︎"):
 * lookups ignore them, and the stored form is the data's own.
 */
const withoutSelectors = (text: string) => text.replace(/[\uFE0E\uFE0F]/g, '');

/** Every known emoji without its selectors → the emoji as the data writes it. */
const NATIVES = new Map<string, string>();
/** Every id and alias ("+1", "thumbsup", "tada") → its skins, default skin first. */
const SHORTCODES = new Map<string, string[]>();

for (const emoji of Object.values(data.emojis)) {
  const skins = emoji.skins.map((skin) => skin.native);
  for (const native of skins) NATIVES.set(withoutSelectors(native), native);
  SHORTCODES.set(emoji.id, skins);
}
for (const [alias, id] of Object.entries(data.aliases)) {
  const skins = SHORTCODES.get(id);
  if (skins) SHORTCODES.set(alias, skins);
}

/** The longest known emoji, in UTF-16 units, with room for selectors a client added: longer input is refused unread. */
const LONGEST = Math.max(...[...NATIVES.values()].map((native) => native.length)) * 2;

/** Slack's form for a skin tone: `:+1::skin-tone-3:` (tone 2 to 6 are the five skins after the default). */
const SKIN_TONE = /^(.+?)::?skin-tone-([2-6])$/;

/**
 * The emoji a reaction's `:emoji` names, as stored (Unicode, the data's own form), or null
 * when it names none. Accepts the emoji itself, with or without variation selectors, and a
 * shortcode with or without colons (`+1`, `:thumbsup:`, `tada`, `:wave::skin-tone-4:`).
 */
export function normaliseEmoji(raw: string): string | null {
  if (raw.length === 0 || raw.length > 100) return null;
  const native = raw.length <= LONGEST ? NATIVES.get(withoutSelectors(raw)) : undefined;
  if (native) return native;
  const code = raw.replace(/^:/, '').replace(/:$/, '').toLowerCase();
  const toned = SKIN_TONE.exec(code);
  if (toned) return SHORTCODES.get(toned[1])?.[Number(toned[2]) - 1] ?? null;
  return SHORTCODES.get(code)?.[0] ?? null;
}
