import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { channel, componentTestProviders, FakeSocket, stored } from './chat-test-fixtures';
import { Composer } from './composer';
import { MessagesStore } from './messages-store';

const BRUNO = '0b0b0b0b-0000-4000-8000-000000000002';
const GENERAL = '0c0c0c0c-0000-4000-8000-000000000001';

describe('Composer', () => {
  it('↑ in an empty composer edits one’s last message in the channel; with text written it does nothing', async () => {
    TestBed.configureTestingModule({
      providers: [
        ...componentTestProviders(),
        { provide: AuthStore, useValue: { user: signal({ id: 'me', displayName: 'Me' }) } },
      ],
    });
    const messages = TestBed.inject(MessagesStore);
    const list = [stored(1, { senderId: 'me' }), stored(2, { senderId: 'me' }), stored(3, { senderId: 'ana' })];
    messages.messages.set({ c: { messages: list.map((m) => ({ ...m, state: 'sent' })), outbox: [], hasOlder: false, lastSeq: 3, lastChangeSeq: 0 } });
    const fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('channelId', 'c');
    await fixture.whenStable();
    const box = (fixture.nativeElement as HTMLElement).querySelector('textarea')!;
    const up = () => {
      const event = new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true });
      box.dispatchEvent(event);
      return event;
    };

    box.value = 'a draft';
    box.dispatchEvent(new Event('input'));
    expect(up().defaultPrevented).toBe(false);
    expect(messages.editingId()).toBeNull();

    box.value = '';
    box.dispatchEvent(new Event('input'));
    expect(up().defaultPrevented).toBe(true);
    expect(messages.editingId()).toBe('m2');
  });

  describe('mentions', () => {
    let socket: FakeSocket;
    let box: HTMLTextAreaElement;
    let host: HTMLElement;
    let fixture: ReturnType<typeof TestBed.createComponent<Composer>>;

    beforeEach(async () => {
      socket = new FakeSocket();
      TestBed.configureTestingModule({
        providers: [
          provideHttpClient(),
          provideHttpClientTesting(),
          provideRouter([]),
          { provide: SocketService, useValue: socket },
          { provide: AuthStore, useValue: { user: signal({ id: 'me', displayName: 'Me' }) } },
        ],
      });
      const channels = TestBed.inject(ChannelsStore);
      channels.select('w1');
      channels.channels.set([channel('c', { name: 'design' }), channel(GENERAL, { name: 'general' })]);
      channels.members.set({ [BRUNO]: { userId: BRUNO, displayName: 'Bruno Costa', state: 'active' } } as never);
      fixture = TestBed.createComponent(Composer);
      fixture.componentRef.setInput('channelId', 'c');
      await fixture.whenStable();
      host = fixture.nativeElement as HTMLElement;
      box = host.querySelector('textarea')!;
    });

    async function type(text: string): Promise<void> {
      box.value = text;
      box.setSelectionRange(text.length, text.length);
      box.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    }

    async function key(name: string): Promise<KeyboardEvent> {
      const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
      box.dispatchEvent(event);
      await fixture.whenStable();
      return event;
    }

    // Name and hint, without the avatar's initials.
    const options = () =>
      Array.from(host.querySelectorAll('[role="option"]')).map((o) =>
        Array.from(o.querySelectorAll(':scope > span:not([aria-hidden])'))
          .map((part) => part.textContent!.trim())
          .join(' '),
      );
    const sent = () => socket.requests.filter((r) => r.event === 'sendMessage').map((r) => (r.payload as { text: string }).text);

    it('opens the list on @, filters it, picks with the keyboard, and sends the pick as a token', async () => {
      await type('hi @bru');
      // The channel's people are fetched the first time; until they come nobody is called an outsider.
      expect(options()).toEqual(['Bruno Costa']);
      TestBed.inject(HttpTestingController).expectOne('/api/channels/c/members').flush([]);
      await fixture.whenStable();
      fixture.detectChanges();
      // Bruno is not among them here.
      expect(options()).toEqual(['Bruno Costa Not in this channel']);
      expect(box.getAttribute('aria-activedescendant')).toBe('composer-mentions-0');
      expect((await key('Enter')).defaultPrevented).toBe(true);
      expect(box.value).toBe('hi @Bruno Costa ');
      expect(options()).toEqual([]);
      await type('hi @Bruno Costa and #gen');
      expect(options()).toEqual(['general']);
      await key('Tab');
      expect(box.value).toBe('hi @Bruno Costa and #general ');
      await key('Enter');
      expect(sent()).toEqual([`hi <@${BRUNO}> and <#${GENERAL}> `]);
    });

    it('sends a name typed by hand as text, and Escape closes the list without sending', async () => {
      await type('@Bruno');
      TestBed.inject(HttpTestingController).expectOne('/api/channels/c/members').flush([]);
      await fixture.whenStable();
      expect(options().length).toBe(1);
      const escape = await key('Escape');
      expect(escape.defaultPrevented).toBe(true);
      expect(options()).toEqual([]);
      await key('Enter');
      expect(sent()).toEqual(['@Bruno']);
    });

    it('moves through the list with the arrows, wrapping around', async () => {
      await type('@');
      TestBed.inject(HttpTestingController).expectOne('/api/channels/c/members').flush([]);
      await fixture.whenStable();
      expect(options().map((o) => o.split(' ')[0])).toEqual(['Bruno', '@channel', '@here']);
      await key('ArrowUp');
      expect(host.querySelector('[aria-selected="true"]')?.textContent).toContain('@here');
      await key('ArrowDown');
      await key('ArrowDown');
      await key('Enter');
      expect(box.value).toBe('@channel ');
    });

    it('fetches the channel’s people again only when its member count moved (someone joined or left)', async () => {
      const http = TestBed.inject(HttpTestingController);
      await type('@');
      http.expectOne('/api/channels/c/members').flush([]);
      await type('@b');
      await type('');
      await type('@');
      http.expectNone('/api/channels/c/members');
      const channels = TestBed.inject(ChannelsStore);
      channels.channels.update((list) => list.map((c) => (c.id === 'c' ? { ...c, memberCount: 2 } : c)));
      await type('@br');
      http.expectOne('/api/channels/c/members').flush([{ userId: BRUNO, displayName: 'Bruno Costa', avatarUrl: null, joinedAt: '' }]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fixture.whenStable();
      expect(options()).toEqual(['Bruno Costa']);
    });
  });
});
