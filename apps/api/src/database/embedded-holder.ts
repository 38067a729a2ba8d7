import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EmbeddedPostgres } from './embedded-postgres';

/** Holds the embedded database while the app runs, and stops it last. */
@Injectable()
export class EmbeddedDatabaseHolder implements OnApplicationShutdown {
  embedded: EmbeddedPostgres | null = null;

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
    this.embedded = null;
  }
}
