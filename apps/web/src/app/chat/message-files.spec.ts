import { Dialog } from '@angular/cdk/dialog';
import { TestBed } from '@angular/core/testing';

import { storedFile } from './chat-test-fixtures';
import { FileLightbox } from './file-lightbox';
import { MessageFiles } from './message-files';

const image = (id: string, width: number, height: number) =>
  storedFile(id, {
    name: `${id}.png`,
    kind: 'image',
    mimeType: 'image/png',
    width,
    height,
    thumbnailUrl: `/api/files/${id}/content?variant=thumbnail`,
    previewUrl: `/api/files/${id}/content?variant=preview`,
  });

describe('MessageFiles', () => {
  async function render(files: ReturnType<typeof storedFile>[]) {
    const opened: unknown[] = [];
    TestBed.configureTestingModule({ providers: [{ provide: Dialog, useValue: { open: (...args: unknown[]) => opened.push(args) } }] });
    const fixture = TestBed.createComponent(MessageFiles);
    fixture.componentRef.setInput('files', files);
    await fixture.whenStable();
    return { host: fixture.nativeElement as HTMLElement, opened };
  }

  it('shows each kind its own way: thumbnails, a video and an audio player, and a card with a download link', async () => {
    const { host } = await render([
      image('i1', 640, 400),
      storedFile('v1', { kind: 'video', mimeType: 'video/mp4', name: 'clip.mp4' }),
      storedFile('a1', { kind: 'audio', mimeType: 'audio/mpeg', name: 'memo.mp3' }),
      storedFile('d1', { name: 'report.pdf', mimeType: 'application/pdf', size: 2.5 * 1024 * 1024 }),
      storedFile('broken', { kind: 'image', mimeType: 'image/png', name: 'broken.png', thumbnailUrl: null }),
    ]);
    const thumb = host.querySelector<HTMLImageElement>('img[data-testid="file-thumbnail"]')!;
    expect(thumb.getAttribute('src')).toBe('/api/files/i1/content?variant=thumbnail');
    expect(thumb.alt).toBe('i1.png');
    // The box is reserved before the thumbnail loads: 640×400 fits 360×240 as 360×225.
    expect([thumb.getAttribute('width'), thumb.getAttribute('height')]).toEqual(['360', '225']);
    const video = host.querySelector('video')!;
    expect([video.hasAttribute('controls'), video.getAttribute('preload'), video.getAttribute('src')]).toEqual([true, 'metadata', '/api/files/v1/content']);
    expect(host.querySelector('audio')?.getAttribute('src')).toBe('/api/files/a1/content');
    const cards = Array.from(host.querySelectorAll('[data-testid="file-card"]'));
    expect(cards.map((c) => c.querySelector('p')!.textContent!.trim())).toEqual(['report.pdf', 'broken.png']);
    expect(cards[0].textContent).toContain('PDF · 2.5 MB');
    const link = cards[0].querySelector<HTMLAnchorElement>('a[data-testid="file-download"]')!;
    expect(link.getAttribute('href')).toBe('/api/files/d1/content?download=1');
    expect(link.getAttribute('aria-label')).toBe('Download report.pdf');
  });

  it('a click on a thumbnail opens the lightbox on that image among the message’s images, as a labelled dialog', async () => {
    const { host, opened } = await render([image('i1', 100, 100), storedFile('d1'), image('i2', 100, 100)]);
    host.querySelectorAll<HTMLButtonElement>('button[aria-label^="Open image"]')[1].click();
    expect(opened.length).toBe(1);
    const [component, config] = opened[0] as [unknown, { data: { images: { id: string }[]; index: number }; ariaLabel: string }];
    expect(component).toBe(FileLightbox);
    expect(config.data.images.map((f) => f.id)).toEqual(['i1', 'i2']);
    expect(config.data.index).toBe(1);
    expect(config.ariaLabel).toBe('Image viewer: i2.png');
  });
});
