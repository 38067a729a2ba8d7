import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { type EnvironmentProviders, type Provider, signal } from '@angular/core';
import { provideRouter } from '@angular/router';
import { type Ack, type ChannelDto, type FileDto, type MessageDto, type ServerToClientEvents, UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';

import { type ConnectionState, SocketService } from '../core/realtime/socket';

/**
 * The providers of a component spec that reaches the chat stores: HTTP (answered through
 * HttpTestingController), a router, and `socket` standing in for SocketService.
 */
export function componentTestProviders(socket: FakeSocket = new FakeSocket()): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: SocketService, useValue: socket }];
}

/**
 * Test helpers for the chat stores' specs (not used by the app). FakeSocket stands in for
 * SocketService: it replays server events to the handlers the stores registered for each, and
 * records what the store asked, answering with `answer` (default: ok, no data).
 */
export class FakeSocket {
  readonly state = signal<ConnectionState>('online');
  readonly requests: { event: string; payload: unknown }[] = [];
  answer: (event: string, payload: unknown) => Ack<unknown> | Promise<Ack<unknown>> = () => ({ ok: true, data: null });
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  on(event: string, handler: (payload: unknown) => void): () => void {
    const forEvent = this.handlers.get(event) ?? new Set();
    this.handlers.set(event, forEvent.add(handler));
    return () => forEvent.delete(handler);
  }

  private readonly connectListeners = new Set<() => void>();

  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Plays a (re)connection: the listeners given to onConnect run. */
  connect(): void {
    this.state.set('online');
    for (const listener of this.connectListeners) listener();
  }

  request(event: string, payload: unknown): Promise<Ack<unknown>> {
    this.requests.push({ event, payload });
    return Promise.resolve(this.answer(event, payload));
  }

  /** Fire-and-forget events (typing), recorded apart from the requests. */
  readonly notified: { event: string; payload: unknown }[] = [];

  notify(event: string, payload: unknown): void {
    this.notified.push({ event, payload });
  }

  emit<E extends keyof ServerToClientEvents>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    const handlers = this.handlers.get(event);
    if (!handlers?.size) throw new Error(`the store does not listen to ${event}`);
    for (const handler of handlers) handler(payload);
  }
}

export function channel(id: string, changes: Partial<ChannelDto> = {}): ChannelDto {
  return {
    id,
    workspaceId: 'w1',
    type: 'public',
    name: id,
    topic: null,
    createdBy: null,
    createdAt: new Date(0).toISOString(),
    archivedAt: null,
    memberCount: 1,
    member: true,
    lastSeq: 0,
    lastChangeSeq: 0,
    lastReadSeq: 0,
    unreadCount: 0,
    mentionCount: 0,
    ...changes,
  };
}

export function stored(seq: number, changes: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${seq}`,
    channelId: 'c',
    seq,
    senderId: 'ana',
    text: `t${seq}`,
    clientMsgId: `k${seq}`,
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    ...UNTOUCHED_MESSAGE_FIELDS,
    ...changes,
  };
}

/** A stored file as the API answers it (a text file unless `changes` say otherwise). */
export function storedFile(id: string, changes: Partial<FileDto> = {}): FileDto {
  return {
    id,
    channelId: 'c',
    uploaderId: 'me',
    name: `${id}.txt`,
    size: 10,
    mimeType: 'text/plain',
    width: null,
    height: null,
    kind: 'file',
    url: `/api/files/${id}/content`,
    previewUrl: null,
    thumbnailUrl: null,
    messageId: null,
    createdAt: new Date(0).toISOString(),
    ...changes,
  };
}

/** A drag event carrying files, as the browser fires it over a drop target (jsdom has no DragEvent). */
export function drag(type: 'dragenter' | 'dragover' | 'dragleave' | 'drop', ...files: File[]): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
  return event;
}
