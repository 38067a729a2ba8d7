import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { storedFile } from './chat-test-fixtures';
import { FileLightbox } from './file-lightbox';

describe('FileLightbox', () => {
  it('shows the preview large with a download of the original; arrows go between images, +/−/0 zoom, Close closes', async () => {
    const keys = new Subject<KeyboardEvent>();
    let closed = 0;
    const images = ['a', 'b', 'c'].map((id) =>
      storedFile(id, { name: `${id}.png`, kind: 'image', width: 800, height: 600, previewUrl: `/api/files/${id}/content?variant=preview`, thumbnailUrl: 't' }),
    );
    TestBed.configureTestingModule({
      providers: [
        { provide: DIALOG_DATA, useValue: { images, index: 1 } },
        { provide: DialogRef, useValue: { keydownEvents: keys, close: () => closed++ } },
      ],
    });
    const fixture = TestBed.createComponent(FileLightbox);
    await fixture.whenStable();
    const host = fixture.nativeElement as HTMLElement;
    const img = () => host.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]')!;
    const press = async (key: string) => {
      keys.next(new KeyboardEvent('keydown', { key, cancelable: true }));
      await fixture.whenStable();
    };
    expect(img().getAttribute('src')).toBe('/api/files/b/content?variant=preview');
    expect(img().alt).toBe('b.png');
    expect(host.querySelector('#lightbox-title')!.textContent).toBe('b.png');
    expect(host.querySelector('[data-testid="lightbox-download"]')!.getAttribute('href')).toBe('/api/files/b/content?download=1');
    expect(host.textContent).toContain('2 of 3');

    await press('ArrowRight');
    expect(img().getAttribute('src')).toBe('/api/files/c/content?variant=preview');
    await press('ArrowRight');
    expect(img().alt).toBe('a.png'); // wraps around
    await press('ArrowLeft');
    expect(img().alt).toBe('c.png');

    expect(img().style.width).toBe('');
    await press('+');
    expect(img().style.width).toBe('800px'); // 100% of its own size (before it loads, from the file's width)
    await press('+');
    expect(img().style.width).toBe('1200px');
    await press('-');
    await press('-');
    expect(img().style.width).toBe('600px');
    await press('0');
    expect(img().style.width).toBe('');
    expect(host.querySelector('[aria-label="Fit to window"]')!.getAttribute('aria-pressed')).toBe('true');

    host.querySelector<HTMLButtonElement>('button[aria-label="Close"]')!.click();
    expect(closed).toBe(1);
  });
});
