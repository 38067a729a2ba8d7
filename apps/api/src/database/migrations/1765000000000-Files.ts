import { MigrationInterface, QueryRunner } from "typeorm";

/** Files and images (issue #14): the files table and the summary of a message's files. */

export class Files1765000000000 implements MigrationInterface {
    name = 'Files1765000000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "uploader_id" uuid NOT NULL, "message_id" uuid, "name" text NOT NULL, "size" bigint NOT NULL, "mime_type" text NOT NULL, "sha256" text NOT NULL, "width" integer, "height" integer, "storage_key" text NOT NULL, "preview_key" text, "thumbnail_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, "purged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6c16b9093a142e0e7613b04a3d9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_63ee0a7c78bd7a1968a0893eda" ON "files" ("message_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_005be504c69e5deddb37d95d2c" ON "files" ("workspace_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_files_unattached" ON "files" ("created_at") WHERE message_id IS NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_files_channel_attached" ON "files" ("channel_id", "created_at") WHERE message_id IS NOT NULL AND deleted_at IS NULL`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "files" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_005be504c69e5deddb37d95d2c3" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_f07a6cfe83ebed64e0e0f50eebd" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_9a3333da0464320bdc44ca96cfb" FOREIGN KEY ("uploader_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_63ee0a7c78bd7a1968a0893edab" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "FK_63ee0a7c78bd7a1968a0893edab"`);
        await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "FK_9a3333da0464320bdc44ca96cfb"`);
        await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "FK_f07a6cfe83ebed64e0e0f50eebd"`);
        await queryRunner.query(`ALTER TABLE "files" DROP CONSTRAINT "FK_005be504c69e5deddb37d95d2c3"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "files"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_files_channel_attached"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_files_unattached"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_005be504c69e5deddb37d95d2c"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_63ee0a7c78bd7a1968a0893eda"`);
        await queryRunner.query(`DROP TABLE "files"`);
    }

}
