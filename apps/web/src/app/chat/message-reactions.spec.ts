import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { MessageDto, ReactionDto } from '@parley/contracts';
import { button, settle } from '@web/testing/dom';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { channel, componentTestProviders, FakeSocket, stored } from './chat-test-fixtures';
import { MessageActions } from './message-actions';
import { MessageBody } from './message-body';
import type { ChatMessage } from './message-groups';
import { MessagesStore } from './messages-store';
import { PinsStore } from './pinned-list';
import { reactorsLabel, toggledReactions } from './reactions';

const ME = 'me';
const reaction = (emoji: string, userIds: string[], me = userIds.includes(ME), count = userIds.length): ReactionDto => ({ emoji, count, userIds, me });

describe('reactions: what a chip says and what a click does at once', () => {
  const names: Record<string, string> = { ana: 'Ana', bruno: 'Bruno', carla: 'Carla' };
  const nameOf = (id: string) => names[id] ?? 'Someone';

  it('names who reacted: you first, two names, then how many others', () => {
    expect(reactorsLabel(reaction('👍', ['ana']), ME, nameOf)).toBe('Ana');
    expect(reactorsLabel(reaction('👍', ['ana', ME]), ME, nameOf)).toBe('You and Ana');
    expect(reactorsLabel(reaction('👍', ['ana', 'bruno', 'carla'], false, 5), ME, nameOf)).toBe('Ana, Bruno and 3 others');
    expect(reactorsLabel(reaction('👍', ['ana', 'bruno', 'carla']), ME, nameOf)).toBe('Ana, Bruno and 1 other');
  });

  it('adding joins the chip (or makes one at the end), taking back leaves it (gone at zero); twice is the same as once', () => {
    const start = [reaction('👍', ['ana'])];
    const added = toggledReactions(start, '👍', ME, true);
    expect(added).toEqual([reaction('👍', ['ana', ME])]);
    expect(toggledReactions(added, '👍', ME, true)).toEqual(added);
    expect(toggledReactions(start, '🎉', ME, true)).toEqual([reaction('👍', ['ana']), reaction('🎉', [ME])]);
    expect(toggledReactions(added, '👍', ME, false)).toEqual(start);
    expect(toggledReactions([reaction('🎉', [ME])], '🎉', ME, false)).toEqual([]);
    expect(toggledReactions(start, '👍', ME, false)).toEqual(start);
  });
});

describe('MessageBody: reactions, pins, links and forwarding', () => {
  let http: HttpTestingController;
  let messages: MessagesStore;
  let fixture: ComponentFixture<MessageBody>;
  let el: HTMLElement;
  let copied: string[];

  const current = (id = 'm1'): ChatMessage => messages.messages()['c'].messages.find((m) => m.id === id)!;
  const chips = () => Array.from(el.querySelectorAll<HTMLButtonElement>('[data-testid="reaction"]'));
  const toolbar = () => el.querySelector<HTMLElement>('[role="toolbar"]')!;

  async function render(message: MessageDto, archived = false): Promise<void> {
    const channels = TestBed.inject(ChannelsStore);
    channels.workspaces.set([{ id: 'w1', permissions: [] }] as never);
    channels.workspaceId.set('w1');
    channels.channels.set([channel('c', { name: 'general' }), channel('c2', { name: 'random' }), channel('old', { name: 'old', archivedAt: '2026-01-01T00:00:00Z' })]);
    channels.members.set({
      ana: { userId: 'ana', displayName: 'Ana' },
      bruno: { userId: 'bruno', displayName: 'Bruno' },
    } as never);
    messages.messages.set({ c: { messages: [{ ...message, state: 'sent' }], outbox: [], hasOlder: false, lastSeq: message.seq, lastChangeSeq: 0 } });
    fixture = TestBed.createComponent(MessageBody);
    fixture.componentRef.setInput('message', current(message.id));
    fixture.componentRef.setInput('archived', archived);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  async function refresh(): Promise<void> {
    await settle();
    fixture.componentRef.setInput('message', current());
    await fixture.whenStable();
  }

  async function expectRequest(method: string, url: string): Promise<TestRequest> {
    for (let i = 0; i < 20; i++) {
      const found = http.match((req) => req.method === method && req.url === url);
      if (found.length === 1) return found[0];
      await settle();
    }
    return http.expectOne({ method, url });
  }

  beforeEach(() => {
    copied = [];
    TestBed.configureTestingModule({
      providers: [
        ...componentTestProviders(),
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } },
        { provide: Clipboard, useValue: { copy: (text: string) => copied.push(text) > 0 } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    messages = TestBed.inject(MessagesStore);
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => node.remove());
    http.verify();
  });

  it('shows a chip per emoji with its count, pressed when it is mine, naming who reacted', async () => {
    await render(stored(1, { reactions: [reaction('👍', ['ana', 'bruno', ME], true, 5), reaction('🎉', ['ana'])] }));
    expect(chips().map((c) => [c.textContent?.replace(/\s+/g, ''), c.getAttribute('aria-pressed')])).toEqual([
      ['👍5', 'true'],
      ['🎉1', 'false'],
    ]);
    expect(chips()[0].title).toBe('You, Ana and 3 others reacted with 👍');
    expect(chips()[1].title).toBe('Ana reacted with 🎉');
  });

  it('a click on a chip adds my reaction at once (PUT, the emoji URL-encoded), and a click on my own takes it back (DELETE)', async () => {
    await render(stored(1, { reactions: [reaction('🎉', ['ana'])] }));
    chips()[0].click();
    await refresh();
    expect(chips()[0].getAttribute('aria-pressed')).toBe('true');
    expect(chips()[0].textContent).toContain('2');
    const put = await expectRequest('PUT', `/api/messages/m1/reactions/${encodeURIComponent('🎉')}`);
    put.flush(stored(1, { reactions: [reaction('🎉', ['ana', ME])] }));
    await refresh();
    chips()[0].click();
    await refresh();
    expect(chips()[0].getAttribute('aria-pressed')).toBe('false');
    (await expectRequest('DELETE', `/api/messages/m1/reactions/${encodeURIComponent('🎉')}`)).flush(stored(1, { reactions: [reaction('🎉', ['ana'])] }));
    await refresh();
    expect(chips()[0].textContent).toContain('1');
  });

  it('a refused reaction puts the chip back and says why', async () => {
    await render(stored(1, { reactions: [reaction('🎉', ['ana'])] }));
    button(toolbar(), 'React with 👍').click();
    await refresh();
    expect(chips().length).toBe(2);
    (await expectRequest('PUT', `/api/messages/m1/reactions/${encodeURIComponent('👍')}`)).flush(
      { statusCode: 429, message: 'Too many reactions; try again in 3 s', code: 'RATE_LIMITED' },
      { status: 429, statusText: 'Too Many Requests' },
    );
    await refresh();
    expect(chips().length).toBe(1);
    expect(TestBed.inject(MessageActions).notice()).toEqual({ text: 'The reaction could not be changed: Too many reactions; try again in 3 s.', error: true });
  });

  it('"Add reaction" opens the emoji picker next to the button; Escape closes it and gives the focus back', async () => {
    await render(stored(1));
    const add = button(toolbar(), 'Add reaction');
    add.focus();
    add.click();
    await settle();
    const picker = document.querySelector<HTMLElement>('[data-testid="emoji-picker"]');
    expect(picker).not.toBeNull();
    expect(picker!.closest('[role="dialog"]')?.getAttribute('aria-label')).toBe('Pick an emoji');
    document.querySelector<HTMLElement>('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
    await settle();
    await fixture.whenStable();
    expect(document.querySelector('[data-testid="emoji-picker"]')).toBeNull();
    expect(document.activeElement).toBe(add);
  });

  it('Pin puts the message in the channel’s pins and marks it "Pinned"; Unpin takes it out', async () => {
    await render(stored(1, { senderId: 'ana' }));
    expect(el.querySelector('[data-testid="pinned-marker"]')).toBeNull();
    button(toolbar(), 'Pin message').click();
    (await expectRequest('PUT', '/api/messages/m1/pin')).flush(stored(1, { senderId: 'ana', pinnedAt: '2026-01-01T00:00:00Z', pinnedBy: ME }));
    await refresh();
    expect(el.querySelector('[data-testid="pinned-marker"]')?.textContent?.trim()).toBe('Pinned by Me');
    button(toolbar(), 'Unpin message').click();
    (await expectRequest('DELETE', '/api/messages/m1/pin')).flush(stored(1, { senderId: 'ana' }));
    await refresh();
    expect(el.querySelector('[data-testid="pinned-marker"]')).toBeNull();
    expect(() => button(toolbar(), 'Unpin message')).toThrow();
  });

  it('Copy link copies the channel’s address with ?m=<seq> and says so', async () => {
    await render(stored(7));
    button(toolbar(), 'Copy link to message').click();
    expect(copied).toEqual([`${location.origin}/w/w1/c/c?m=7`]);
    expect(TestBed.inject(MessageActions).notice()).toEqual({ text: 'Link copied', error: false });
  });

  it('in an archived channel the reactions show and do nothing; only the link is offered', async () => {
    await render(stored(1, { reactions: [reaction('🎉', ['ana'])] }), true);
    expect(chips()[0].disabled).toBe(true);
    expect(() => button(toolbar(), 'Pin message')).toThrow();
    expect(() => button(toolbar(), 'Add reaction')).toThrow();
    expect(button(toolbar(), 'Copy link to message')).toBeTruthy();
  });

  it('a forwarded message shows its comment, then the quote: who wrote it, where, when, and the text', async () => {
    await render(
      stored(1, {
        text: 'look at this',
        forwardedFrom: { messageId: 'x', channelId: 'c2', senderId: 'bruno', createdAt: '2026-01-01T10:00:00Z', text: 'the original words' },
      }),
    );
    const quote = el.querySelector<HTMLElement>('[data-testid="forwarded"]')!;
    expect(el.querySelector('[data-testid="message"] p')?.textContent).toBe('look at this');
    expect(quote.querySelector('figcaption')?.textContent?.replace(/\s+/g, ' ')).toContain('Bruno in #random');
    expect(quote.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T10:00:00Z');
    expect(quote.querySelector('blockquote')?.textContent).toBe('the original words');
  });

  it('Forward picks among the channels one can post in (filtered), sends the comment with a fresh clientMsgId, and closes', async () => {
    await render(stored(1, { text: 'worth sharing' }));
    button(toolbar(), 'Forward message').click();
    await settle();
    const dialog = document.querySelector<HTMLElement>('[role="dialog"]')!;
    const targets = () => Array.from(dialog.querySelectorAll('label')).map((l) => l.textContent?.trim()).filter((t) => t?.startsWith('#'));
    // Not the archived channel.
    expect(targets()).toEqual(['# general', '# random']);
    const filter = dialog.querySelector<HTMLInputElement>('#forward-filter')!;
    filter.value = 'ran';
    filter.dispatchEvent(new Event('input'));
    await settle();
    expect(targets()).toEqual(['# random']);
    dialog.querySelector<HTMLInputElement>('input[type="radio"]')!.click();
    const comment = dialog.querySelector<HTMLTextAreaElement>('#forward-comment')!;
    comment.value = 'for you';
    comment.dispatchEvent(new Event('input'));
    await settle();
    button(dialog, 'Forward').click();
    const post = await expectRequest('POST', '/api/messages/m1/forward');
    expect(post.request.body).toEqual({ channelId: 'c2', comment: 'for you', clientMsgId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    post.flush(stored(1, { channelId: 'c2' }), { status: 201, statusText: 'Created' });
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(TestBed.inject(MessageActions).notice()?.text).toBe('Forwarded to # random');
  });
});

describe('PinsStore', () => {
  it('keeps each loaded channel’s pins newest first from the live events; others are left alone', async () => {
    const socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: SocketService, useValue: socket }],
    });
    const pins = TestBed.inject(PinsStore);
    const http = TestBed.inject(HttpTestingController);
    const loading = pins.load('c');
    http.expectOne('/api/channels/c/pins').flush([stored(2, { pinnedAt: 'x' })]);
    await loading;
    const change = (kind: 'pinned' | 'unpinned' | 'edited', message: MessageDto, channelId = 'c') => ({ channelId, changeSeq: 1, kind, actorId: 'ana', message });
    socket.emit('messageUpdated', change('pinned', stored(5, { pinnedAt: 'y' })));
    expect(pins.pins()['c'].map((m) => m.seq)).toEqual([5, 2]);
    socket.emit('messageUpdated', change('edited', stored(2, { pinnedAt: 'x', text: 'new words' })));
    expect(pins.pins()['c'][1].text).toBe('new words');
    socket.emit('messageUpdated', change('unpinned', stored(5)));
    expect(pins.pins()['c'].map((m) => m.seq)).toEqual([2]);
    socket.emit('messageUpdated', change('pinned', stored(9, { pinnedAt: 'z', channelId: 'other' }), 'other'));
    expect(pins.pins()['other']).toBeUndefined();
    http.verify();
  });
});
