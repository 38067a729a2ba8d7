import { Init1763770000000 } from './1763770000000-Init';
import { WorkspacesChannels1763780000000 } from './1763780000000-WorkspacesChannels';

/** Every migration, in order. The app runs the pending ones at start; add new ones at the end. */
export const MIGRATIONS: Function[] = [Init1763770000000, WorkspacesChannels1763780000000];
