import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { APP_EVENT_DELIVERY, AppEventName, AppEvents } from './app-events';

/**
 * The one way to emit an internal event: the name must be in `AppEvents` and the payload
 * its type. Whether the returned promise waits for the listeners is the event's delivery
 * (`APP_EVENT_DELIVERY`), not the caller's choice.
 */
@Injectable()
export class EventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  async emit<E extends AppEventName>(name: E, payload: AppEvents[E]): Promise<void> {
    if (APP_EVENT_DELIVERY[name] === 'awaited') await this.emitter.emitAsync(name, payload);
    else this.emitter.emit(name, payload);
  }
}

/** A listener of an internal event; how errors and timing are handled is `@OnEvent`'s. */
export type AppEventListenerOptions = Pick<NonNullable<Parameters<typeof OnEvent>[1]>, 'suppressErrors' | 'promisify'>;

/**
 * `@OnEvent` checked against `AppEvents`: the name must exist and the method must accept the
 * event's payload. Stack several on one method for events with the same payload.
 */
export function OnAppEvent<E extends AppEventName>(name: E, options?: AppEventListenerOptions) {
  return <H extends (payload: AppEvents[E]) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    OnEvent(name, options)(target, key, descriptor);
  };
}
