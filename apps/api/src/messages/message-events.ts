import { MessageDto, ReadUpdateEvent } from '@parley/contracts';

/** Emitted after a message is committed; the realtime module delivers it. */
export const MESSAGE_CREATED = 'message.created';
export type MessageCreatedEvent = MessageDto;

/** Emitted after a member's read position moved forward. */
export const READ_UPDATED = 'message.read';
export type ReadUpdatedEvent = ReadUpdateEvent;
