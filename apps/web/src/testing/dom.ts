/** Small DOM queries for component tests, by what a person sees (labels, roles, text). */

export function byLabel<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, text: string): T {
  const label = Array.from(root.querySelectorAll('label')).find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`No label "${text}"`);
  const control = label.htmlFor ? root.querySelector<T>(`[id="${label.htmlFor}"]`) : null;
  if (!control) throw new Error(`Label "${text}" points at no control`);
  return control;
}

export function queryByLabel(root: HTMLElement, text: string): HTMLElement | null {
  try {
    return byLabel(root, text);
  } catch {
    return null;
  }
}

export function button(root: HTMLElement, name: string | RegExp): HTMLButtonElement {
  const match = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const found = Array.from(root.querySelectorAll('button')).find((b) =>
    match((b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim()),
  );
  if (!found) throw new Error(`No button "${String(name)}"`);
  return found;
}

export function alerts(root: HTMLElement): string[] {
  return Array.from(root.querySelectorAll('[role="alert"]')).map((a) => (a.textContent ?? '').replace(/\s+/g, ' ').trim());
}

export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Lets promise chains (and the HTTP test backend's follow-up requests) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
