import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';

/** The typed event bus, for every module (the emitter itself is `EventEmitterModule`'s). */
@Global()
@Module({ providers: [EventBus], exports: [EventBus] })
export class EventsModule {}
