import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { AuthStore } from '../core/auth/auth-store';
import { ChannelsStore } from './channels-store';
import { channel, componentTestProviders } from './chat-test-fixtures';
import { MessageEditor } from './message-editor';

const BRUNO = '0b0b0b0b-0000-4000-8000-000000000002';
const GONE = '0d0d0d0d-0000-4000-8000-000000000009';

describe('MessageEditor with mentions', () => {
  it('shows names for the tokens, and saves them as tokens again (an unknown id stays a token)', async () => {
    TestBed.configureTestingModule({
      providers: [
        ...componentTestProviders(),
        { provide: AuthStore, useValue: { user: signal({ id: 'me', displayName: 'Me' }) } },
      ],
    });
    const channels = TestBed.inject(ChannelsStore);
    channels.channels.set([channel('c', { name: 'design' })]);
    channels.members.set({ [BRUNO]: { userId: BRUNO, displayName: 'Bruno Costa', state: 'active' } } as never);
    const fixture = TestBed.createComponent(MessageEditor);
    fixture.componentRef.setInput('text', `hi <@${BRUNO}> and <@${GONE}> in <#c0000000-0000-4000-8000-000000000000>`);
    fixture.componentRef.setInput('channelId', 'c');
    fixture.componentRef.setInput('inputId', 'edit-m1');
    const saved: string[] = [];
    fixture.componentInstance.saved.subscribe((text) => saved.push(text));
    await fixture.whenStable();
    const box = (fixture.nativeElement as HTMLElement).querySelector('textarea')!;
    expect(box.value).toBe(`hi @Bruno Costa and <@${GONE}> in <#c0000000-0000-4000-8000-000000000000>`);

    box.value = `${box.value}!`;
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(saved).toEqual([`hi <@${BRUNO}> and <@${GONE}> in <#c0000000-0000-4000-8000-000000000000>!`]);
  });
});
