import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { CommonErrorCode, type SendMessageRequest } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { channel, FakeSocket, stored, storedFile } from './chat-test-fixtures';
import { Composer } from './composer';
import { MessagesStore } from './messages-store';

describe('Composer with files', () => {
  let socket: FakeSocket;
  let http: HttpTestingController;
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
    http = TestBed.inject(HttpTestingController);
    const channels = TestBed.inject(ChannelsStore);
    channels.select('w1');
    channels.channels.set([channel('c', { name: 'design' })]);
    TestBed.inject(MessagesStore).messages.set({ c: { messages: [], outbox: [], hasOlder: false, lastSeq: 0, lastChangeSeq: 0 } });
    fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('channelId', 'c');
    await fixture.whenStable();
    host = fixture.nativeElement as HTMLElement;
  });

  const sendButton = () => host.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const box = () => host.querySelector('textarea')!;
  const sends = () => socket.requests.filter((r) => r.event === 'sendMessage').map((r) => r.payload as SendMessageRequest);
  const chips = () => Array.from(host.querySelectorAll('[data-testid="upload-chip"]'));

  async function pick(...files: File[]): Promise<void> {
    const input = host.querySelector<HTMLInputElement>('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  async function type(text: string): Promise<void> {
    box().value = text;
    box().dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  it('the paperclip attaches files: a chip with a progress bar, Send waits, then sends fileIds with no text', async () => {
    expect(host.querySelector('button[aria-label="Attach files"]')).not.toBeNull();
    expect(sendButton().disabled).toBe(true);
    await pick(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    const req = http.expectOne('/api/channels/c/files');
    expect(chips().length).toBe(1);
    expect(chips()[0].textContent).toContain('notes.txt');
    const bar = chips()[0].querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(bar.getAttribute('aria-label')).toBe('Uploading notes.txt');
    expect(sendButton().disabled).toBe(true);
    // Enter does not send while a file is still on its way (it would go without it).
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(sends()).toEqual([]);

    req.event({ type: 1, loaded: 3, total: 5 });
    await fixture.whenStable();
    expect(chips()[0].querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('60');
    req.flush({ files: [storedFile('f1', { name: 'notes.txt' })] }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(chips()[0].querySelector('[role="progressbar"]')).toBeNull();
    expect(sendButton().disabled).toBe(false);

    sendButton().click();
    await fixture.whenStable();
    expect(sends()).toEqual([expect.objectContaining({ channelId: 'c', text: '', fileIds: ['f1'] })]);
    expect(chips()).toEqual([]);
    // The pending message shows with its file at once.
    const outbox = TestBed.inject(MessagesStore).messages()['c'].outbox;
    expect(outbox.map((m) => m.files.map((f) => f.id))).toEqual([['f1']]);
  });

  it('sends text and files together in the order attached; a text-only send carries no fileIds', async () => {
    await type('only words');
    sendButton().click();
    await fixture.whenStable();
    expect(sends()[0]).toMatchObject({ text: 'only words' });
    expect(sends()[0].fileIds).toBeUndefined();

    await pick(new File(['a'], 'a.txt'), new File(['b'], 'b.txt'));
    const [a, b] = http.match('/api/channels/c/files');
    b.flush({ files: [storedFile('fb')] });
    a.flush({ files: [storedFile('fa')] });
    await type('two files');
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await fixture.whenStable();
    expect(sends()[1]).toMatchObject({ text: 'two files', fileIds: ['fa', 'fb'] });
  });

  it('a failed upload blocks the send until it is retried or removed', async () => {
    await type('see attached');
    await pick(new File(['x'], 'x.bin'));
    http.expectOne('/api/channels/c/files').flush({ statusCode: 413, error: 'Payload Too Large', code: 'FILE_QUOTA_EXCEEDED', message: 'quota' }, { status: 413, statusText: 'Payload Too Large' });
    await fixture.whenStable();
    expect(chips()[0].querySelector('[data-testid="upload-error"]')!.textContent).toContain('The workspace is out of file space');
    expect(sendButton().disabled).toBe(true);
    host.querySelector<HTMLButtonElement>('button[aria-label="Remove x.bin"]')!.click();
    await fixture.whenStable();
    expect(chips()).toEqual([]);
    expect(sendButton().disabled).toBe(false);
  });

  it('a pasted screenshot is attached (named for when it was pasted); pasted text is left to the box', async () => {
    const paste = (files: File[]) => {
      const event = new Event('paste', { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'clipboardData', { value: { files } });
      box().dispatchEvent(event);
      return event;
    };
    expect(paste([]).defaultPrevented).toBe(false);
    http.expectNone('/api/channels/c/files');
    expect(paste([new File([new Uint8Array(8)], 'image.png', { type: 'image/png' })]).defaultPrevented).toBe(true);
    const req = http.expectOne('/api/channels/c/files');
    expect(((req.request.body as FormData).get('file') as File).name).toMatch(/^Pasted image \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/);
  });

  it('a send that failed is retried with the same clientMsgId and the same fileIds', async () => {
    socket.answer = () => ({ ok: false, error: { code: CommonErrorCode.RateLimited, message: 'slow down', retryable: true } });
    await pick(new File(['x'], 'x.txt'));
    http.expectOne('/api/channels/c/files').flush({ files: [storedFile('f7')] });
    await fixture.whenStable();
    sendButton().click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const messages = TestBed.inject(MessagesStore);
    const failed = messages.messages()['c'].outbox[0];
    expect(failed.state).toBe('failed');

    socket.answer = (_event, payload) => ({ ok: true, data: { ...stored(1, { channelId: 'c', senderId: 'me', text: '', files: [storedFile('f7')] }), clientMsgId: (payload as SendMessageRequest).clientMsgId } });
    TestBed.inject(ChatStore).retry(failed);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sends().map((s) => [s.clientMsgId, s.fileIds])).toEqual([
      [failed.clientMsgId, ['f7']],
      [failed.clientMsgId, ['f7']],
    ]);
    expect(messages.messages()['c'].messages.map((m) => m.files.map((f) => f.id))).toEqual([['f7']]);
  });
});
