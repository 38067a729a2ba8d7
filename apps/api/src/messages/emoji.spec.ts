import { normaliseEmoji } from './emoji';

describe('normaliseEmoji', () => {
  it('maps the emoji itself, its shortcodes and aliases, with or without colons, to one stored form', () => {
    for (const raw of ['👍', '+1', ':+1:', 'thumbsup', ':thumbsup:', 'THUMBSUP', '👍\uFE0E', '👍\uFE0F']) expect(normaliseEmoji(raw)).toBe('👍');
    expect(normaliseEmoji('tada')).toBe('🎉');
    expect(normaliseEmoji(':tada:')).toBe('🎉');
    // Short as it is, `a` is a shortcode (Slack's too): 🅰️.
    expect(normaliseEmoji('a')).toBe('🅰\uFE0F');
  });

  it('keeps the data\'s own variation selector, whichever form arrives', () => {
    expect(normaliseEmoji('❤')).toBe('❤\uFE0F');
    expect(normaliseEmoji('❤\uFE0F')).toBe('❤\uFE0F');
    expect(normaliseEmoji('heart')).toBe('❤\uFE0F');
  });

  it('knows skin tones, as emoji and as Slack shortcodes', () => {
    expect(normaliseEmoji('👍🏽')).toBe('👍🏽');
    expect(normaliseEmoji(':+1::skin-tone-4:')).toBe('👍🏽');
    expect(normaliseEmoji('+1::skin-tone-7')).toBeNull();
    // An emoji without skins has no toned form.
    expect(normaliseEmoji('tada::skin-tone-3')).toBeNull();
  });

  it('refuses everything else', () => {
    for (const raw of ['', 'zz', 'not_an_emoji', '<script>', 'x'.repeat(1000), '\u200F👍', '👍\u200D\u200D', '\u0000', '%00', '👍👍', '::', ':', 'skin-tone-2', '__proto__', 'constructor']) {
      expect(normaliseEmoji(raw)).toBeNull();
    }
  });
});
