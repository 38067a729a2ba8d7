import { MigrationInterface, QueryRunner } from "typeorm";

/** Files (#14): an index for the file sweeper, which looks for removed files whose bytes are still stored (generated against a fresh database). */

export class FilesPurgeable1765050000000 implements MigrationInterface {
    name = 'FilesPurgeable1765050000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "IDX_files_purgeable" ON "files" ("deleted_at") WHERE deleted_at IS NOT NULL AND purged_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_files_purgeable"`);
    }

}
