let nextId = 0;

/** A page-unique id for a dialog's title or description. */
export function dialogId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * How the console opens its CDK dialogs: modal, centred, dimmed backdrop, focus moved in on
 * open and given back to the trigger on close, Esc and a backdrop click close.
 */
export function adminDialogConfig<D>(data: D, width = '28rem') {
  return {
    data,
    width,
    maxWidth: 'calc(100vw - 2rem)',
    maxHeight: 'calc(100dvh - 2rem)',
    ariaModal: true,
    autoFocus: 'first-tabbable' as const,
    restoreFocus: true,
    backdropClass: ['bg-zinc-950/40', 'backdrop-blur-[1px]'],
    panelClass: 'admin-dialog-panel',
  };
}
