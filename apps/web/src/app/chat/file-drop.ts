import { Directive, output, signal } from '@angular/core';

/** True when a drag carries files (not a text selection or a link being dragged about). */
export function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Makes its element a drop target for files: `dragging` is true while files are held over it
 * (the template shows the drop zone), and `dropped` gives the files let go. Enter/leave are
 * counted, as they fire for every child the pointer crosses. A drag of files stops at the
 * innermost target: one inside another (a panel in a view) takes the files for itself, and the
 * outer one neither shows its zone nor gets the drop.
 */
@Directive({
  selector: '[appFileDrop]',
  exportAs: 'fileDrop',
  host: {
    '(dragenter)': 'onEnter($event)',
    '(dragover)': 'onOver($event)',
    '(dragleave)': 'onLeave($event)',
    '(drop)': 'onDrop($event)',
  },
})
export class FileDrop {
  readonly dropped = output<File[]>();
  readonly dragging = signal(false);
  private depth = 0;

  protected onEnter(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    this.depth++;
    this.dragging.set(true);
  }

  protected onOver(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    // Without this the browser opens the file instead of dropping it here.
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging.set(true);
  }

  protected onLeave(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.stopPropagation();
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.dragging.set(false);
  }

  protected onDrop(event: DragEvent): void {
    this.depth = 0;
    this.dragging.set(false);
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (!files.length) return;
    event.preventDefault();
    event.stopPropagation();
    this.dropped.emit(files);
  }
}
