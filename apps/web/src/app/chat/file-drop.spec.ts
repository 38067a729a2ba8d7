import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';

import { drag } from './chat-test-fixtures';
import { FileDrop } from './file-drop';

/** A panel that takes files inside a view that takes files too (as a panel may sit in a conversation). */
@Component({
  imports: [FileDrop],
  template: `
    <div appFileDrop #outer="fileDrop" (dropped)="outerFiles.set($event)" data-testid="outer" [attr.data-dragging]="outer.dragging()">
      <p data-testid="outer-text">the conversation</p>
      <div appFileDrop #inner="fileDrop" (dropped)="innerFiles.set($event)" data-testid="inner" [attr.data-dragging]="inner.dragging()">
        <p data-testid="inner-text">the panel</p>
      </div>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class NestedTargets {
  readonly outerFiles = signal<File[]>([]);
  readonly innerFiles = signal<File[]>([]);
}

describe('FileDrop', () => {
  let fixture: ComponentFixture<NestedTargets>;
  let el: HTMLElement;
  const file = new File(['hello'], 'notes.txt', { type: 'text/plain' });
  const part = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
  const dragging = (id: string) => part(id).getAttribute('data-dragging');

  beforeEach(async () => {
    fixture = TestBed.createComponent(NestedTargets);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  it('files held over the outer target show its zone; dropped, they are given with the default (opening them) prevented', async () => {
    part('outer-text').dispatchEvent(drag('dragenter', file));
    const over = drag('dragover', file);
    part('outer-text').dispatchEvent(over);
    await fixture.whenStable();
    expect(over.defaultPrevented).toBe(true);
    expect(dragging('outer')).toBe('true');
    const dropped = drag('drop', file);
    part('outer-text').dispatchEvent(dropped);
    await fixture.whenStable();
    expect(dropped.defaultPrevented).toBe(true);
    expect(dragging('outer')).toBe('false');
    expect(fixture.componentInstance.outerFiles()).toEqual([file]);
  });

  it('the inner target takes files dropped on it for itself: the outer shows no zone and gets nothing', async () => {
    part('outer-text').dispatchEvent(drag('dragenter', file));
    await fixture.whenStable();
    expect(dragging('outer')).toBe('true');
    // Into the panel: it enters the panel's text, then leaves the conversation's text.
    part('inner-text').dispatchEvent(drag('dragenter', file));
    part('outer-text').dispatchEvent(drag('dragleave', file));
    part('inner-text').dispatchEvent(drag('dragover', file));
    await fixture.whenStable();
    expect(dragging('inner')).toBe('true');
    expect(dragging('outer')).toBe('false');
    part('inner-text').dispatchEvent(drag('drop', file));
    await fixture.whenStable();
    expect(fixture.componentInstance.innerFiles()).toEqual([file]);
    expect(fixture.componentInstance.outerFiles()).toEqual([]);
    expect(dragging('inner')).toBe('false');
    expect(dragging('outer')).toBe('false');
  });

  it('ignores a drag that carries no files (text being moved about)', async () => {
    const text = new Event('dragenter', { bubbles: true, cancelable: true });
    Object.defineProperty(text, 'dataTransfer', { value: { types: ['text/plain'], files: [] } });
    part('inner-text').dispatchEvent(text);
    await fixture.whenStable();
    expect(text.defaultPrevented).toBe(false);
    expect(dragging('inner')).toBe('false');
    expect(dragging('outer')).toBe('false');
  });
});
