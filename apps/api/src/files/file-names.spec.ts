import { FILE_NAME_MAX_LENGTH } from '@parley/contracts';
import { contentDisposition, sanitizeFileName } from './file-names';
import { DetectedType, UNKNOWN_TYPE } from './file-types';

const PNG: DetectedType = { mime: 'image/png', ext: 'png' };
const JPEG: DetectedType = { mime: 'image/jpeg', ext: 'jpg' };
const HTML: DetectedType = { mime: 'text/html', ext: 'html' };
const TEXT: DetectedType = { mime: 'text/plain', ext: null };

describe('sanitizeFileName', () => {
  it.each<[string, DetectedType, string]>([
    ['report.pdf', UNKNOWN_TYPE, 'report.pdf'],
    // Paths: only the last segment, whichever slash
    ['../../etc/passwd', TEXT, 'passwd'],
    ['..\\..\\x', UNKNOWN_TYPE, 'x'],
    ['C:\\Users\\me\\photo.png', PNG, 'photo.png'],
    ['/', UNKNOWN_TYPE, 'file'],
    ['', UNKNOWN_TYPE, 'file'],
    // Control and bidi characters, leading dots, trailing dots and spaces
    ['invoice\u202Egnp.exe', UNKNOWN_TYPE, 'invoicegnp.exe'],
    ['\u2066a\u2067b\u2068c\u2069.bin', UNKNOWN_TYPE, 'abc.bin'],
    ['\u202Aa\u202Bb\u202Cc\u202Dd.bin', UNKNOWN_TYPE, 'abcd.bin'],
    ['zero\u200Bwidth\u200F.bin', UNKNOWN_TYPE, 'zerowidth.bin'],
    ['bell\u0007\u001b[31m\r\n\u0085.bin', UNKNOWN_TYPE, 'bell[31m.bin'],
    ['.htaccess', UNKNOWN_TYPE, 'htaccess'],
    ['...', UNKNOWN_TYPE, 'file'],
    ['  spaced .txt. ', TEXT, 'spaced.txt'],
    ['a<b>c:"d"|e?f*.bin', UNKNOWN_TYPE, 'a_b_c__d__e_f_.bin'],
    // The extension agrees with the bytes when their type has one
    ['photo.txt', PNG, 'photo.png'],
    ['photo', PNG, 'photo.png'],
    ['photo.PNG', PNG, 'photo.PNG'],
    ['photo.jpeg', JPEG, 'photo.jpeg'],
    ['photo.png', JPEG, 'photo.jpg'],
    ['evil.png', HTML, 'evil.html'],
    ['page.htm', HTML, 'page.htm'],
    ['v1.2 notes', PNG, 'v1.2 notes.png'],
    ['notes.md', TEXT, 'notes.md'],
    // Decomposed to composed
    ['cafe\u0301.txt', TEXT, 'caf\u00e9.txt'],
  ])('%j as %j is %j', (raw, detected, expected) => {
    expect(sanitizeFileName(raw, detected)).toBe(expected);
  });

  it('cuts long names to FILE_NAME_MAX_LENGTH, keeping the extension and whole characters', () => {
    expect(sanitizeFileName(`${'a'.repeat(500)}.png`, PNG)).toBe(`${'a'.repeat(FILE_NAME_MAX_LENGTH - 4)}.png`);
    const emoji = sanitizeFileName(`${'😀'.repeat(300)}.bin`, UNKNOWN_TYPE);
    expect(emoji.length).toBeLessThanOrEqual(FILE_NAME_MAX_LENGTH);
    expect(emoji.endsWith('.bin')).toBe(true);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('never leaves a path separator, a control or a bidi character, or a leading dot', () => {
    const nasty = ['/', '\\', '\u0000', '\u001f', '\u007f', '\u202e', '\u2066', '.', ' ', 'a', 'é', '😀', ':', '"'];
    for (let i = 0; i < 2000; i++) {
      const raw = Array.from({ length: 1 + (i % 30) }, (_, j) => nasty[(i * 7 + j * 13) % nasty.length]).join('');
      const name = sanitizeFileName(raw, i % 2 ? UNKNOWN_TYPE : PNG);
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(name).not.toMatch(/^\./);
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(FILE_NAME_MAX_LENGTH);
    }
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name, with nothing that could end the header or the parameter', () => {
    expect(contentDisposition('attachment', 'report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('inline', 'caf\u00e9 "quoted" \\ (1).png')).toBe(
      `inline; filename="caf_ _quoted_ _ (1).png"; filename*=UTF-8''caf%C3%A9%20%22quoted%22%20%5C%20%281%29.png`,
    );
  });
});
