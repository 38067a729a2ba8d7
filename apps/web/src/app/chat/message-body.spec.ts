import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Permission, type MessageDto } from '@parley/contracts';
import { alerts, button, settle } from '@web/testing/dom';

import { AuthStore } from '../core/auth/auth-store';
import { ChannelsStore } from './channels-store';
import { componentTestProviders, stored } from './chat-test-fixtures';
import { MessageBody } from './message-body';
import type { ChatMessage } from './message-groups';
import { MessagesStore } from './messages-store';

const ME = 'me';

describe('MessageBody (the actions bar, inline edit and delete of one message)', () => {
  let http: HttpTestingController;
  let messages: MessagesStore;
  let fixture: ComponentFixture<MessageBody>;
  let el: HTMLElement;
  /** Gives the component the message as the store now holds it (the log's row does the same). */
  let follow: () => void;

  function hold(...list: MessageDto[]): void {
    messages.messages.set({ c: { messages: list.map((m) => ({ ...m, state: 'sent' })), outbox: [], hasOlder: false, lastSeq: list.length, lastChangeSeq: 0 } });
  }

  /** Renders the message as the log would; it follows the store, as the log does. */
  async function render(message: MessageDto, options: { archived?: boolean; permissions?: Permission[] } = {}): Promise<void> {
    TestBed.inject(ChannelsStore).workspaces.set([{ id: 'w1', permissions: options.permissions ?? [] }] as never);
    TestBed.inject(ChannelsStore).workspaceId.set('w1');
    hold(message);
    fixture = TestBed.createComponent(MessageBody);
    const current = (): ChatMessage => messages.messages()['c'].messages.find((m) => m.id === message.id)!;
    fixture.componentRef.setInput('message', current());
    fixture.componentRef.setInput('archived', options.archived ?? false);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    follow = () => fixture.componentRef.setInput('message', current());
  }

  async function expectRequest(method: string, url: string): Promise<TestRequest> {
    for (let i = 0; i < 20; i++) {
      const found = http.match((req) => req.method === method && req.url === url);
      if (found.length === 1) return found[0];
      await settle();
    }
    return http.expectOne({ method, url });
  }

  async function refresh(): Promise<void> {
    await settle();
    follow();
    await fixture.whenStable();
  }

  function key(target: HTMLElement, keyName: string, init: KeyboardEventInit = {}): void {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true, ...init }));
  }

  const toolbar = () => el.querySelector('[role="toolbar"][aria-label="Message actions"]');
  const editor = () => el.querySelector<HTMLTextAreaElement>('textarea');

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        ...componentTestProviders(),
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    messages = TestBed.inject(MessagesStore);
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => node.remove());
    http.verify();
  });

  it('offers Edit and Delete on one’s own message; neither on someone else’s (only replying in a thread, reacting, pinning, linking, forwarding), no toolbar on a send not stored yet', async () => {
    await render(stored(1, { senderId: ME }));
    expect(toolbar()).not.toBeNull();
    expect(button(el, 'Edit message')).toBeTruthy();
    expect(button(el, 'Delete message')).toBeTruthy();
    fixture.componentRef.setInput('message', { ...stored(1, { senderId: 'ana' }), state: 'sent' });
    await fixture.whenStable();
    expect(toolbar()).not.toBeNull();
    expect(() => button(el, 'Edit message')).toThrow();
    expect(() => button(el, 'Delete message')).toThrow();
    expect(button(el, 'Reply in thread')).toBeTruthy();
    expect(button(el, 'Copy link to message')).toBeTruthy();
    fixture.componentRef.setInput('message', { ...stored(1, { senderId: ME }), state: 'pending' });
    await fixture.whenStable();
    expect(toolbar()).toBeNull();
  });

  it('with message.delete.any, someone else’s message can be deleted (not edited); in an archived channel one’s own can be deleted, not edited', async () => {
    await render(stored(1, { senderId: 'ana' }), { permissions: [Permission.MessageDeleteAny] });
    expect(button(el, 'Delete message')).toBeTruthy();
    expect(() => button(el, 'Edit message')).toThrow();
    fixture.componentRef.setInput('message', { ...stored(1, { senderId: ME }), state: 'sent' });
    fixture.componentRef.setInput('archived', true);
    await fixture.whenStable();
    expect(button(el, 'Delete message')).toBeTruthy();
    expect(() => button(el, 'Edit message')).toThrow();
  });

  it('Edit opens the text inline; Shift+Enter is a new line, Enter saves through PATCH, and the line shows "(edited)" with the time', async () => {
    await render(stored(1, { senderId: ME, text: 'helo' }));
    button(el, 'Edit message').click();
    await fixture.whenStable();
    const box = editor()!;
    expect(box.value).toBe('helo');
    expect(toolbar()).toBeNull();
    key(box, 'Enter', { shiftKey: true });
    await fixture.whenStable();
    expect(editor()).toBe(box);
    box.value = 'hello';
    box.dispatchEvent(new Event('input'));
    key(box, 'Enter');
    const req = await expectRequest('PATCH', '/api/messages/m1');
    expect(req.request.body).toEqual({ text: 'hello' });
    req.flush({ ...stored(1, { senderId: ME }), text: 'hello', editedAt: '2026-01-02T03:04:05.000Z' });
    await refresh();
    expect(editor()).toBeNull();
    expect(el.querySelector('[data-testid="message"] p')?.textContent).toBe('hello');
    const marker = el.querySelector<HTMLElement>('[data-testid="edited"]')!;
    expect(marker.textContent).toBe('(edited)');
    expect(marker.title).toMatch(/^Edited .*2026/);
  });

  it('Esc cancels the edit without asking the server', async () => {
    await render(stored(1, { senderId: ME, text: 'as it was' }));
    button(el, 'Edit message').click();
    await fixture.whenStable();
    key(editor()!, 'Escape');
    await fixture.whenStable();
    expect(editor()).toBeNull();
    expect(el.querySelector('[data-testid="message"] p')?.textContent).toBe('as it was');
    expect(messages.editingId()).toBeNull();
  });

  it('a message deleted while it is being edited (by a moderator, say) closes the editor and shows as deleted', async () => {
    await render(stored(1, { senderId: ME }));
    button(el, 'Edit message').click();
    await fixture.whenStable();
    expect(editor()).not.toBeNull();
    messages.receiveChange({ channelId: 'c', changeSeq: 1, kind: 'deleted', actorId: 'ana', message: { ...stored(1, { senderId: ME }), text: '', deletedAt: '2026-01-02T00:00:00.000Z' } });
    await refresh();
    expect(editor()).toBeNull();
    expect(el.querySelector('[data-testid="deleted"]')?.textContent).toBe('This message was deleted');
  });

  it('a refused edit (403, archived 409) is said inline and the editor stays open', async () => {
    await render(stored(1, { senderId: ME }));
    button(el, 'Edit message').click();
    await fixture.whenStable();
    const box = editor()!;
    box.value = 'changed';
    box.dispatchEvent(new Event('input'));
    key(box, 'Enter');
    (await expectRequest('PATCH', '/api/messages/m1')).flush(
      { statusCode: 403, error: 'Forbidden', message: 'Only the sender can edit a message', code: 'FORBIDDEN' },
      { status: 403, statusText: 'Forbidden' },
    );
    await refresh();
    expect(alerts(el)).toEqual(['You may not edit this message.']);
    expect(editor()).not.toBeNull();
    key(editor()!, 'Enter');
    (await expectRequest('PATCH', '/api/messages/m1')).flush(
      { statusCode: 409, error: 'Conflict', message: 'The channel is archived', code: 'CHANNEL_ARCHIVED' },
      { status: 409, statusText: 'Conflict' },
    );
    await refresh();
    expect(alerts(el)).toEqual(['This channel is archived: its messages can no longer be changed.']);
  });

  it('Delete asks first: Cancel keeps the message; Delete sends DELETE and the line says the message was deleted', async () => {
    await render(stored(1, { senderId: ME, text: 'oops' }));
    button(el, 'Delete message').click();
    await settle();
    const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
    expect(dialog()?.textContent).toContain('oops');
    button(dialog()!, 'Cancel').click();
    await refresh();
    expect(dialog()).toBeNull();
    http.expectNone({ method: 'DELETE' });

    button(el, 'Delete message').click();
    await settle();
    button(dialog()!, 'Delete').click();
    (await expectRequest('DELETE', '/api/messages/m1')).flush(null, { status: 204, statusText: 'No Content' });
    await refresh();
    const placeholder = el.querySelector<HTMLElement>('[data-testid="deleted"]')!;
    expect(placeholder.textContent).toBe('This message was deleted');
    expect(placeholder.className).toContain('italic');
    expect(el.textContent).not.toContain('oops');
    expect(toolbar()).toBeNull();
  });

  it('a delete the server refuses (404: gone meanwhile) is said inline; the message stays', async () => {
    await render(stored(1, { senderId: ME, text: 'still here' }));
    button(el, 'Delete message').click();
    await settle();
    button(document.querySelector<HTMLElement>('[role="dialog"]')!, 'Delete').click();
    (await expectRequest('DELETE', '/api/messages/m1')).flush(
      { statusCode: 404, error: 'Not Found', message: 'Message not found', code: 'NOT_FOUND' },
      { status: 404, statusText: 'Not Found' },
    );
    await refresh();
    expect(alerts(el)).toEqual(['This message is no longer there (deleted, or you left the channel).']);
    expect(el.querySelector('[data-testid="message"] p')?.textContent).toBe('still here');
  });

  describe('the ⋯ menu, the edit history and the toolbar', () => {
    const menu = () => document.querySelector<HTMLElement>('[data-testid="message-menu"]');
    const menuItems = () => Array.from(menu()?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []).map((item) => item.textContent?.trim());
    const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
    const edited = { editedAt: '2026-01-02T03:04:05.000Z', createdAt: '2026-01-01T00:00:00.000Z' };

    it('⋯ (the toolbar’s last button) lists every action of one’s own message; someone else’s has no Edit or Delete', async () => {
      await render(stored(1, { senderId: ME }));
      const buttons = Array.from(toolbar()!.querySelectorAll('button'));
      expect(buttons.at(-1)?.getAttribute('aria-label')).toBe('More actions');
      button(el, 'More actions').click();
      await settle();
      expect(menuItems()).toEqual(['Reply in thread', 'Add reaction…', 'Forward…', 'Copy link', 'Copy text', 'Pin to channel', 'Edit message', 'Delete message…']);
      expect(button(el, 'More actions').getAttribute('aria-expanded')).toBe('true');
      key(menu()!, 'Escape', { keyCode: 27 });
      await settle();
      expect(menu()).toBeNull();

      fixture.componentRef.setInput('message', { ...stored(1, { senderId: 'ana' }), state: 'sent' });
      await fixture.whenStable();
      button(el, 'More actions').click();
      await settle();
      expect(menuItems()).toEqual(['Reply in thread', 'Add reaction…', 'Forward…', 'Copy link', 'Copy text', 'Pin to channel']);
    });

    it('"Edit message" in the menu opens the inline editor; "Delete message…" asks first', async () => {
      await render(stored(1, { senderId: ME, text: 'to change' }));
      button(el, 'More actions').click();
      await settle();
      button(menu()!, 'Edit message').click();
      await fixture.whenStable();
      expect(editor()?.value).toBe('to change');
      key(editor()!, 'Escape');
      await fixture.whenStable();
      button(el, 'More actions').click();
      await settle();
      button(menu()!, 'Delete message…').click();
      await settle();
      expect(dialog()?.textContent).toContain('Delete this message for everyone');
      button(dialog()!, 'Cancel').click();
      await settle();
      http.expectNone({ method: 'DELETE' });
    });

    it('the toolbar is one Tab stop: ←/→ move between its buttons, End reaches ⋯', async () => {
      await render(stored(1, { senderId: ME }));
      await settle();
      const buttons = Array.from(toolbar()!.querySelectorAll<HTMLButtonElement>('button'));
      expect(buttons.filter((b) => b.tabIndex === 0)).toEqual([buttons[0]]);
      buttons[0].focus();
      key(buttons[0], 'ArrowRight');
      expect(document.activeElement).toBe(buttons[1]);
      key(buttons[1], 'End');
      expect(document.activeElement).toBe(buttons.at(-1));
      expect(buttons.filter((b) => b.tabIndex === 0)).toEqual([buttons.at(-1)]);
      key(buttons.at(-1)!, 'ArrowRight');
      expect(document.activeElement).toBe(buttons[0]);
    });

    it('the sender’s "(edited)" opens the edit history: the current text marked Current, then the earlier ones newest first', async () => {
      await render(stored(1, { senderId: ME, text: 'third', ...edited }));
      const marker = el.querySelector<HTMLElement>('[data-testid="edited"]')!;
      expect(marker.tagName).toBe('BUTTON');
      marker.click();
      await settle();
      expect(dialog()?.textContent).toContain('Loading earlier versions…');
      (await expectRequest('GET', '/api/messages/m1/versions')).flush([
        { text: 'first', writtenAt: '2026-01-01T00:00:00.000Z', replacedAt: '2026-01-01T10:00:00.000Z' },
        { text: 'second', writtenAt: '2026-01-01T10:00:00.000Z', replacedAt: '2026-01-02T03:04:05.000Z' },
      ]);
      await settle();
      await fixture.whenStable();
      await settle();
      const versions = Array.from(dialog()!.querySelectorAll('[data-testid="version"]'));
      expect(versions.map((v) => v.querySelector('[data-testid="message-text"]')?.textContent)).toEqual(['third', 'second', 'first']);
      expect(versions[0].querySelector('[data-testid="current"]')?.textContent).toBe('Current');
      expect(versions.slice(1).some((v) => v.querySelector('[data-testid="current"]'))).toBe(false);
      expect(versions[1].querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T10:00:00.000Z');
    });

    it('a refused history (403) says so, and "Try again" asks again', async () => {
      await render(stored(1, { senderId: ME, ...edited }));
      el.querySelector<HTMLElement>('[data-testid="edited"]')!.click();
      (await expectRequest('GET', '/api/messages/m1/versions')).flush(
        { statusCode: 403, error: 'Forbidden', message: 'Only the sender…', code: 'FORBIDDEN' },
        { status: 403, statusText: 'Forbidden' },
      );
      await settle();
      expect(alerts(dialog()!)[0]).toMatch(/not available to you/);
      button(dialog()!, 'Try again').click();
      (await expectRequest('GET', '/api/messages/m1/versions')).flush([]);
      await settle();
      expect(dialog()!.querySelectorAll('[data-testid="version"]').length).toBe(1);
      expect(dialog()!.textContent).toContain('No earlier versions');
    });

    it('someone else’s "(edited)" is plain text with the time, unless one holds audit.read or ediscovery.export', async () => {
      await render(stored(1, { senderId: 'ana', ...edited }));
      let marker = el.querySelector<HTMLElement>('[data-testid="edited"]')!;
      expect(marker.tagName).toBe('SPAN');
      expect(marker.title).toMatch(/^Edited .*2026/);
      button(el, 'More actions').click();
      await settle();
      expect(menuItems()).not.toContain('View edit history');
      key(menu()!, 'Escape', { keyCode: 27 });
      await settle();
      fixture.destroy();

      await render(stored(1, { senderId: 'ana', ...edited }), { permissions: [Permission.AuditRead] });
      marker = el.querySelector<HTMLElement>('[data-testid="edited"]')!;
      expect(marker.tagName).toBe('BUTTON');
      button(el, 'More actions').click();
      await settle();
      expect(menuItems()).toContain('View edit history');
      button(menu()!, 'View edit history').click();
      (await expectRequest('GET', '/api/messages/m1/versions')).flush([]);
      await settle();
      expect(dialog()?.getAttribute('aria-labelledby')).toBe('edit-history-title');
    });
  });
});
