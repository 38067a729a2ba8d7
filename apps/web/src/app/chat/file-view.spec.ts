import type { FileDto } from '@parley/contracts';

import { downloadUrl, fitBox, humanSize, iconFor, rendererFor, typeLabel } from './file-view';

const file = (changes: Partial<FileDto>): Pick<FileDto, 'kind' | 'thumbnailUrl' | 'mimeType' | 'name'> => ({
  kind: 'file',
  thumbnailUrl: null,
  mimeType: 'application/octet-stream',
  name: 'x',
  ...changes,
});

describe('humanSize', () => {
  it('shows bytes below 1 KB, one decimal below 10 of a unit, whole numbers above', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(1)).toBe('1 B');
    expect(humanSize(1023)).toBe('1023 B');
    expect(humanSize(1024)).toBe('1 KB');
    expect(humanSize(1536)).toBe('1.5 KB');
    expect(humanSize(10 * 1024)).toBe('10 KB');
    expect(humanSize(12.4 * 1024)).toBe('12 KB');
    expect(humanSize(3.45 * 1024 * 1024)).toBe('3.5 MB');
    expect(humanSize(100 * 1024 * 1024)).toBe('100 MB');
    expect(humanSize(1.2 * 1024 ** 3)).toBe('1.2 GB');
  });

  it('never shows "1024 KB": a value that rounds up to the next unit is shown in it', () => {
    expect(humanSize(1024 * 1024 - 1)).toBe('1 MB');
    expect(humanSize(1024 ** 3 - 10)).toBe('1 GB');
  });

  it('answers nothing for nonsense rather than "NaN B"', () => {
    expect(humanSize(-1)).toBe('');
    expect(humanSize(Number.NaN)).toBe('');
  });
});

describe('rendererFor', () => {
  it('picks the inline image, the players and the card by kind', () => {
    expect(rendererFor(file({ kind: 'image', thumbnailUrl: '/api/files/f/content?variant=thumbnail' }))).toBe('image');
    expect(rendererFor(file({ kind: 'video' }))).toBe('video');
    expect(rendererFor(file({ kind: 'audio' }))).toBe('audio');
    expect(rendererFor(file({ kind: 'file' }))).toBe('card');
  });

  it('shows an image with no thumbnail (it did not decode) as a card, not a broken <img>', () => {
    expect(rendererFor(file({ kind: 'image', thumbnailUrl: null }))).toBe('card');
  });
});

describe('iconFor and typeLabel', () => {
  it('goes by the detected type, not only the name', () => {
    expect(iconFor(file({ mimeType: 'application/pdf', name: 'report' }))).toBe('pdf');
    expect(iconFor(file({ mimeType: 'application/zip', name: 'a.zip' }))).toBe('archive');
    expect(iconFor(file({ mimeType: 'text/plain', name: 'notes.txt' }))).toBe('text');
    expect(iconFor(file({ mimeType: 'text/csv', name: 'q3.csv' }))).toBe('sheet');
    expect(iconFor(file({ mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', name: 'a.docx' }))).toBe('doc');
    expect(iconFor(file({ mimeType: 'application/json', name: 'a.json' }))).toBe('code');
    expect(iconFor(file({ mimeType: 'application/octet-stream', name: 'blob' }))).toBe('generic');
    expect(iconFor(file({ kind: 'video', mimeType: 'video/mp4' }))).toBe('video');
  });

  it('labels a card by its extension, or by its type when the name has none', () => {
    expect(typeLabel(file({ name: 'report.pdf', mimeType: 'application/pdf' }))).toBe('PDF');
    expect(typeLabel(file({ name: 'README', mimeType: 'text/plain' }))).toBe('TEXT');
    expect(typeLabel(file({ name: '.env', mimeType: 'application/octet-stream' }))).toBe('FILE');
  });
});

describe('downloadUrl', () => {
  it('adds download=1 with the right separator', () => {
    expect(downloadUrl('/api/files/f1/content')).toBe('/api/files/f1/content?download=1');
    expect(downloadUrl('/api/files/f1/content?variant=preview')).toBe('/api/files/f1/content?variant=preview&download=1');
  });
});

describe('fitBox', () => {
  it('scales a large image down into the box, keeping its shape', () => {
    expect(fitBox(640, 400, 360, 240)).toEqual({ width: 360, height: 225 });
    expect(fitBox(400, 1600, 360, 240)).toEqual({ width: 60, height: 240 });
  });

  it('never scales a small image up, and reserves a square without dimensions', () => {
    expect(fitBox(100, 50, 360, 240)).toEqual({ width: 100, height: 50 });
    expect(fitBox(null, null, 360, 240)).toEqual({ width: 240, height: 240 });
  });
});
