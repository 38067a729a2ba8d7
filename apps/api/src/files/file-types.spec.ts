import { fileKind, servedInline, sniffText } from './file-types';

describe('sniffText', () => {
  it.each<[string, string | null]>([
    ['<!DOCTYPE html><html><body>hi</body></html>', 'text/html'],
    ['  \n<html>', 'text/html'],
    ['<!-- a comment --><script>alert(1)</script>', 'text/html'],
    ['just some words <script>alert(1)</script>', 'text/html'],
    ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'image/svg+xml'],
    ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
    ['\uFEFF<?xml version="1.0"?><note/>', 'application/xml'],
    ['hello, world', 'text/plain'],
    ['a < b and c > d', 'text/plain'],
  ])('%j is %s', (text, mime) => {
    expect(sniffText(Buffer.from(text))?.mime ?? null).toBe(mime);
  });

  it('calls bytes with NUL or invalid UTF-8 not text', () => {
    expect(sniffText(Buffer.from([0x68, 0x00, 0x69]))).toBeNull();
    expect(sniffText(Buffer.from([0xff, 0xfe, 0xfd, 0x41, 0x42, 0x43, 0x44, 0x45]))).toBeNull();
    expect(sniffText(Buffer.alloc(0))).toBeNull();
  });

  it('does not call text binary for a multi-byte character cut at the end of the sample', () => {
    expect(sniffText(Buffer.concat([Buffer.from('caf'), Buffer.from('é').subarray(0, 1)]))?.mime).toBe('text/plain');
  });
});

describe('servedInline and fileKind', () => {
  it('serves inline only safe media that are what they say', () => {
    expect(servedInline('image/png', 'image')).toBe(true);
    expect(servedInline('video/mp4', 'video')).toBe(true);
    expect(servedInline('audio/mpeg', 'audio')).toBe(true);
    for (const mime of ['text/html', 'image/svg+xml', 'application/xml', 'text/xml', 'application/pdf', 'text/plain', 'application/octet-stream', 'video/quicktime', 'image/tiff']) {
      expect([mime, servedInline(mime, fileKind(mime, false))]).toEqual([mime, false]);
    }
    // A PNG that did not decode is a plain file: an attachment.
    expect(servedInline('image/png', fileKind('image/png', false))).toBe(false);
  });

  it('finds the kind from the previews and the type', () => {
    expect(fileKind('image/png', true)).toBe('image');
    expect(fileKind('image/png', false)).toBe('file');
    expect(fileKind('video/webm', false)).toBe('video');
    expect(fileKind('audio/ogg', false)).toBe('audio');
    expect(fileKind('application/pdf', false)).toBe('file');
  });
});
