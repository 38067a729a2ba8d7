import { Init1763770000000 } from './1763770000000-Init';

/** Every migration, in order. The app runs the pending ones at start; add new ones at the end. */
export const MIGRATIONS: Function[] = [Init1763770000000];
