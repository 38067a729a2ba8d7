import { readFileSync } from 'node:fs';
import type { EmojiMartData } from '@emoji-mart/data';

/** Real emoji from the data the server checks against (the default skin of each). */
const data = JSON.parse(readFileSync(require.resolve('@emoji-mart/data'), 'utf8')) as EmojiMartData;
export const EMOJI = Object.values(data.emojis).map((emoji) => emoji.skins[0].native);
