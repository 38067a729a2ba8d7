/** What a person sets: online and away also change by themselves; dnd and invisible stay. */
export type SetStatus = 'online' | 'away' | 'dnd' | 'invisible';
/** What others see: invisible looks offline. */
export type PresenceStatus = 'online' | 'away' | 'dnd' | 'offline';

export interface PresenceDto {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: string | null;
}

/** Seconds without a new typingStart after which typing ends by itself. */
export const TYPING_TIMEOUT_SECONDS = 5;
