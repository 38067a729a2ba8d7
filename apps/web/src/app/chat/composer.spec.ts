import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { FakeSocket, stored } from './chat-test-fixtures';
import { Composer } from './composer';
import { MessagesStore } from './messages-store';

describe('Composer', () => {
  it('↑ in an empty composer edits one’s last message in the channel; with text written it does nothing', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: SocketService, useValue: new FakeSocket() },
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
});
