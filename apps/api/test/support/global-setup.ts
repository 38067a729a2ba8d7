import { serverUrl } from './databases';

export default function globalSetup(): void {
  if (!serverUrl()) {
    console.log(
      '\n[parley] DATABASE_URL is not set: the integration tests run on the embedded database (PGlite) only. ' +
        'Set DATABASE_URL (and REDIS_URL) to run them against PostgreSQL (and Redis) too.\n',
    );
  }
}
