import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { MessageDto } from '@parley/contracts';
import { button, settle } from '@web/testing/dom';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { channel, componentTestProviders, drag, FakeSocket, stored, storedFile } from './chat-test-fixtures';
import { MessagesStore } from './messages-store';
import { ThreadPanel } from './thread-panel';
import { ThreadSummary } from './thread-summary';

const ME = 'me';
const reply = (seq: number, changes: Partial<MessageDto> = {}): MessageDto => stored(seq, { threadRootId: 'm1', senderId: 'bruno', ...changes });

describe('ThreadPanel (a thread beside its channel)', () => {
  let http: HttpTestingController;
  let socket: FakeSocket;
  let messages: MessagesStore;
  let navigate: ReturnType<typeof vi.spyOn>;
  let fixture: ComponentFixture<ThreadPanel>;
  let el: HTMLElement;

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
    await fixture.whenStable();
  }

  const lines = () => Array.from(el.querySelectorAll('[aria-label="Replies"] [data-testid="message"]')).map((m) => m.textContent?.replace(/\s+/g, ' ').trim());

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: SocketService, useValue: socket },
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    messages = TestBed.inject(MessagesStore);
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const channels = TestBed.inject(ChannelsStore);
    channels.workspaceId.set('w1');
    channels.channels.set([channel('c', { name: 'general', lastSeq: 3 })]);
    const root = { ...stored(1, { text: 'the root', replyCount: 2, replierIds: ['bruno'] }), state: 'sent' as const };
    messages.messages.set({ c: { messages: [root], outbox: [], hasOlder: false, lastSeq: 3, lastChangeSeq: 0 } });
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');

    fixture = TestBed.createComponent(ThreadPanel);
    fixture.componentRef.setInput('rootId', 'm1');
    fixture.componentRef.setInput('channel', channels.channels()[0]);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    (await expectRequest('GET', '/api/messages/m1/replies')).flush({ items: [reply(2, { text: 'first' }), reply(3, { text: 'second' })], hasMore: false });
    await refresh();
  });

  afterEach(() => http.verify());

  it('shows the root, then the replies; opening marks the thread read up to the last reply', async () => {
    expect(el.getAttribute('role')).toBe('complementary');
    expect(el.getAttribute('aria-label')).toBe('Thread');
    expect(el.querySelector('[data-testid="thread-root"]')?.textContent).toContain('the root');
    expect(lines()).toEqual(['first', 'second']);
    expect(el.textContent).toContain('2 replies');
    const read = await expectRequest('POST', '/api/messages/m1/replies/read');
    expect(read.request.body).toEqual({ seq: 3 });
    read.flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    await refresh();
    expect(button(el, 'Follow').getAttribute('aria-pressed')).toBe('false');
  });

  it('its composer sends a reply in the thread, also to the channel when ticked; the reply shows as sending until stored', async () => {
    (await expectRequest('POST', '/api/messages/m1/replies/read')).flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    let answer!: (value: unknown) => void;
    socket.answer = () => new Promise((resolve) => (answer = resolve)) as never;
    const box = el.querySelector<HTMLTextAreaElement>('textarea[aria-label="Reply"]')!;
    const also = Array.from(el.querySelectorAll('label')).find((l) => l.textContent?.includes('Also send to #general'))!.querySelector('input')!;
    also.click();
    box.value = 'my answer';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await refresh();
    const sent = socket.requests.find((r) => r.event === 'sendMessage')!.payload as Record<string, unknown>;
    expect(sent).toMatchObject({ channelId: 'c', text: 'my answer', threadRootId: 'm1', alsoSendToChannel: true });
    expect(lines()).toEqual(['first', 'second', 'my answerSending…']);
    // Stored: it joins the thread (and, sent to the channel too, the channel's list).
    answer({ ok: true, data: reply(4, { senderId: ME, text: 'my answer', alsoInChannel: true, clientMsgId: sent['clientMsgId'] as string }) });
    await refresh();
    expect(lines()).toEqual(['first', 'second', 'my answer']);
    expect(messages.messages()['c'].messages.map((m) => m.seq)).toEqual([1, 4]);
    expect(button(el, 'Following').getAttribute('aria-pressed')).toBe('true');
  });

  it("files dropped on the panel go to the thread's composer, with the drop zone while they are held over it, and not further", async () => {
    (await expectRequest('POST', '/api/messages/m1/replies/read')).flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    const file = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    const target = el.querySelector<HTMLElement>('[data-testid="thread-drop"]')!;
    const outside = vi.fn();
    document.addEventListener('drop', outside);
    document.addEventListener('dragenter', outside);
    try {
      target.querySelector('header')!.dispatchEvent(drag('dragenter', file));
      await fixture.whenStable();
      expect(el.querySelector('[data-testid="drop-zone"]')?.textContent).toContain('Drop files to upload');
      expect(el.querySelector('[data-testid="drop-zone"]')?.textContent).toContain('to the thread');
      const dropped = drag('drop', file);
      target.querySelector('[aria-label="Thread replies"]')!.dispatchEvent(dropped);
      await fixture.whenStable();
      expect(dropped.defaultPrevented).toBe(true);
      expect(el.querySelector('[data-testid="drop-zone"]')).toBeNull();
      // Neither the page nor a drop target around the panel (the channel view's) hears of it.
      expect(outside).not.toHaveBeenCalled();
    } finally {
      document.removeEventListener('drop', outside);
      document.removeEventListener('dragenter', outside);
    }
    const upload = http.expectOne({ method: 'POST', url: '/api/channels/c/files' });
    expect(((upload.request.body as FormData).get('file') as File).name).toBe('notes.txt');
    const chip = el.querySelector('app-composer [data-testid="upload-chip"]');
    expect(chip?.textContent).toContain('notes.txt');
    upload.flush({ files: [storedFile('f1', { name: 'notes.txt' })] }, { status: 201, statusText: 'Created' });
    await refresh();
  });

  it('an archived channel takes no files on its thread (no composer, no drop zone)', async () => {
    (await expectRequest('POST', '/api/messages/m1/replies/read')).flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    fixture.componentRef.setInput('channel', channel('c', { name: 'general', lastSeq: 3, archivedAt: '2026-01-02T00:00:00.000Z' }));
    await refresh();
    // A new channel object opens the thread again: it asks for what came since.
    for (const req of http.match((r) => r.url === '/api/messages/m1/replies')) req.flush({ items: [], hasMore: false });
    for (const req of http.match((r) => r.url === '/api/messages/m1/replies/read')) req.flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    await refresh();
    const target = el.querySelector<HTMLElement>('[data-testid="thread-drop"]')!;
    target.dispatchEvent(drag('dragenter', new File(['x'], 'x.txt')));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="drop-zone"]')).toBeNull();
    target.dispatchEvent(drag('drop', new File(['x'], 'x.txt')));
    await fixture.whenStable();
    expect(el.querySelector('app-composer')).toBeNull();
    http.expectNone('/api/channels/c/files');
  });

  it('the follow toggle follows and unfollows through the server; Escape and ✕ close the panel', async () => {
    (await expectRequest('POST', '/api/messages/m1/replies/read')).flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    await refresh();
    button(el, 'Follow').click();
    (await expectRequest('PUT', '/api/messages/m1/follow')).flush({ rootId: 'm1', following: true, lastReadSeq: 3, unreadReplies: 0 });
    await refresh();
    button(el, 'Following').click();
    (await expectRequest('DELETE', '/api/messages/m1/follow')).flush({ rootId: 'm1', following: false, lastReadSeq: 3, unreadReplies: 0 });
    await refresh();
    expect(button(el, 'Follow')).toBeTruthy();
    // The new follow is not listed yet: the threads list is fetched again (after a pause).
    await new Promise((resolve) => setTimeout(resolve, 600));
    (await expectRequest('GET', '/api/workspaces/w1/threads')).flush([]);

    el.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(navigate).toHaveBeenLastCalledWith([], { queryParams: { thread: null }, queryParamsHandling: 'merge' });
    navigate.mockClear();
    button(el, 'Close thread').click();
    expect(navigate).toHaveBeenCalledExactlyOnceWith([], { queryParams: { thread: null }, queryParamsHandling: 'merge' });
  });
});

describe('ThreadSummary (under a root in the channel)', () => {
  it('says how many replies, shows up to three repliers and when the last came, and opens the thread', async () => {
    TestBed.configureTestingModule({
      providers: [...componentTestProviders(), { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } }],
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(ThreadSummary);
    const lastReplyAt = new Date(Date.now() - 5 * 60_000).toISOString();
    fixture.componentRef.setInput('message', stored(1, { replyCount: 3, lastReplyAt, replierIds: ['a', 'b', 'c', 'd'] }));
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const said = () => Array.from(el.querySelectorAll('button > span:not([aria-hidden])')).map((span) => span.textContent?.trim());
    expect(said()).toEqual(['3 replies', 'Last reply 5 min ago']);
    expect(el.querySelectorAll('app-avatar').length).toBe(3);
    fixture.componentRef.setInput('message', stored(1, { replyCount: 1, lastReplyAt, replierIds: ['a'] }));
    await fixture.whenStable();
    expect(said()).toEqual(['1 reply', 'Last reply 5 min ago']);
    el.querySelector('button')!.click();
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { thread: 'm1' }, queryParamsHandling: 'merge' });
  });
});
