import { MigrationInterface, QueryRunner } from "typeorm";

/** Mentions (the resolved list on messages, the people each message notified) and the personal read-receipts switch (issue #13). */

export class MentionsReadReceipts1764900000000 implements MigrationInterface {
    name = 'MentionsReadReceipts1764900000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "message_mentions" ("user_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "seq" bigint NOT NULL, "message_id" uuid NOT NULL, CONSTRAINT "PK_8aee8caa2b6d8778a5537a4835f" PRIMARY KEY ("user_id", "channel_id", "seq"))`);
        await queryRunner.query(`CREATE INDEX "IDX_704c2dc52c37d26393dae07025" ON "message_mentions" ("message_id") `);
        await queryRunner.query(`ALTER TABLE "users" ADD "read_receipts" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "mentions" jsonb`);
        await queryRunner.query(`ALTER TABLE "message_mentions" ADD CONSTRAINT "FK_2ce356b13332ca02bfe96ae1e3d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "message_mentions" ADD CONSTRAINT "FK_704c2dc52c37d26393dae070253" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "message_mentions" DROP CONSTRAINT "FK_704c2dc52c37d26393dae070253"`);
        await queryRunner.query(`ALTER TABLE "message_mentions" DROP CONSTRAINT "FK_2ce356b13332ca02bfe96ae1e3d"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "mentions"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "read_receipts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_704c2dc52c37d26393dae07025"`);
        await queryRunner.query(`DROP TABLE "message_mentions"`);
    }

}
