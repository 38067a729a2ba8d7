import type { IncomingMessage } from 'node:http';
import { SubscribeMessage } from '@nestjs/websockets';
import { Ack, CLIENT_EVENT_NAMES, ClientEventName, ClientToServerEvents } from '@parley/contracts';
import { ChannelAction, describeChannelRule, describeMessageRule, MessageAction } from '../access/access.rules';
import { AuthUser, ClientInfo } from '../auth/current-user';

/** The payload of a client → server event. */
export type PayloadOf<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];

/** The `data` a client → server event is acknowledged with when it succeeds. */
export type AckDataOf<E extends ClientEventName> = Extract<Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0], { ok: true }>['data'];

/** What a client event needs of the socket's user (the socket-access snapshot prints it). */
export type SocketRule =
  | { kind: 'signed-in' }
  /** `action` on the channel the payload's `channelId` names. */
  | { kind: 'channel'; action: ChannelAction }
  /** `action` on the message the payload's `messageId` names. */
  | { kind: 'message'; action: MessageAction }
  /** Acts on many channels at once: those the user may not see are left out, not refused. */
  | { kind: 'visible-channels' };

export const signedIn: SocketRule = { kind: 'signed-in' };
export const visibleChannels: SocketRule = { kind: 'visible-channels' };
export const onChannel = (action: ChannelAction): SocketRule => ({ kind: 'channel', action });
export const onMessage = (action: MessageAction): SocketRule => ({ kind: 'message', action });

/** The rule in words, as the route list states a route's. */
export function describeSocketRule(rule: SocketRule): string {
  switch (rule.kind) {
    case 'signed-in':
      return 'signed in';
    case 'channel':
      return `signed in, ${describeChannelRule(rule.action, 'channelId')}`;
    case 'message':
      return `signed in, ${describeMessageRule(rule.action, 'messageId')}`;
    case 'visible-channels':
      return 'signed in, only the channels you may see (the others are left out)';
  }
}

/** One client event: how its payload is validated, who may send it, and what it does. */
export interface ClientEventHandler<E extends ClientEventName> {
  /** The payload's class; the payload is validated against it before `handle` sees it. */
  payload: new () => PayloadOf<E>;
  /**
   * Who may send it. As with a route's @InChannel, it is checked first thing by `handle` or the
   * service it calls (a send: inside the statement that stores it); here it is stated, for the
   * snapshot and for readers.
   */
  rule: SocketRule;
  /** `client()`: the socket's address and user agent, for what is audited (read only when asked). */
  handle(user: AuthUser, payload: PayloadOf<E>, client: () => ClientInfo): Promise<AckDataOf<E>>;
}

/** Every client event of the contracts, each with its handler: an event left out does not compile. */
export type ClientEventTable = { readonly [E in ClientEventName]: ClientEventHandler<E> };

/** What answering an event needs of its socket: whose it is, and its handshake's request (absent in unit tests). */
export interface EventSocket {
  data: AuthUser;
  request?: Pick<IncomingMessage, 'headers' | 'socket'>;
}

/** What a gateway with client events answers them with (validation, handler, ack). */
export interface AnswersClientEvents {
  answer<E extends ClientEventName>(event: E, socket: EventSocket, body: unknown): Promise<Ack<AckDataOf<E>>>;
}

/**
 * Gives the gateway class one Nest message handler per event of CLIENT_EVENT_NAMES, each handing
 * its socket and payload to `answer`. Nest finds them as it finds @SubscribeMessage methods (and
 * binds them through ParleyIoAdapter), so acknowledgements work as for any handler.
 */
export function SubscribeClientEvents(): (gateway: { prototype: AnswersClientEvents }) => void {
  return (gateway) => {
    for (const event of CLIENT_EVENT_NAMES) {
      const key = `on:${event}`;
      const descriptor: PropertyDescriptor = {
        value: function (this: AnswersClientEvents, socket: EventSocket, body: unknown) {
          return this.answer(event, socket, body);
        },
        writable: true,
        configurable: true,
      };
      Object.defineProperty(gateway.prototype, key, descriptor);
      SubscribeMessage(event)(gateway.prototype, key, descriptor);
    }
  };
}
