import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page of messages and channels for their rows to change in place (issue #13,
 * bench 7). A reaction rewrites its message's summary, an edit its text, a thread reply its root's
 * counts, and every change and send the channel's sequences. Rows inserted one after another fill
 * their pages, so each such update went to another page and into every index of the table (six
 * on messages). With free room on the page, PostgreSQL updates in place (a HOT update: no index
 * entries while no indexed column changes). Applies to the pages written from now on; VACUUM FULL
 * or pg_repack rewrites older ones.
 */
export class MessagesRoomToChange1765300000000 implements MigrationInterface {
  name = 'MessagesRoomToChange1765300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages SET (fillfactor = 85)`);
    await queryRunner.query(`ALTER TABLE channels SET (fillfactor = 50)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channels RESET (fillfactor)`);
    await queryRunner.query(`ALTER TABLE messages RESET (fillfactor)`);
  }
}
