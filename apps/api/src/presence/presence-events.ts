import { StatusUpdateEvent, UserTypingEvent } from '@parley/contracts';

/** Emitted when what others see of a person changes; realtime sends it to their workspaces. */
export const PRESENCE_CHANGED = 'presence.changed';
export type PresenceChangedEvent = StatusUpdateEvent;

/** Emitted when someone starts or stops typing (also when typing runs out by itself). */
export const TYPING_CHANGED = 'presence.typing';
export type TypingChangedEvent = UserTypingEvent;
