import { MigrationInterface, QueryRunner } from "typeorm";

export class Messages1763800000000 implements MigrationInterface {
    name = 'Messages1763800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel_id" uuid NOT NULL, "seq" bigint NOT NULL, "sender_id" uuid NOT NULL, "text" text NOT NULL, "client_msg_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, "thread_root_id" uuid, CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_112c3bee9328a0795c1ab21c1a" ON "messages" ("thread_root_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2934fa61bd18969642420a425c" ON "messages" ("sender_id", "client_msg_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_809eb9599f7b9789c83a9c90b5" ON "messages" ("channel_id", "seq") `);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_86b9109b155eb70c0a2ca3b4b6d" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_86b9109b155eb70c0a2ca3b4b6d"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_809eb9599f7b9789c83a9c90b5"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2934fa61bd18969642420a425c"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_112c3bee9328a0795c1ab21c1a"`);
        await queryRunner.query(`DROP TABLE "messages"`);
    }

}
