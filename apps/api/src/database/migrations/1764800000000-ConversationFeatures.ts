import { MigrationInterface, QueryRunner } from "typeorm";

/** Threads, reactions, pins and forwarding (issue #13): their columns on messages, and who made each change. */

export class ConversationFeatures1764800000000 implements MigrationInterface {
    name = 'ConversationFeatures1764800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_112c3bee9328a0795c1ab21c1a"`);
        await queryRunner.query(`CREATE TABLE "message_reactions" ("message_id" uuid NOT NULL, "emoji" character varying(64) NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f5a1f46b4f33ce416f9c192ab29" PRIMARY KEY ("message_id", "emoji", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_7aa2ff89b0f736fa785294739b" ON "message_reactions" ("message_id", "user_id") `);
        await queryRunner.query(`CREATE TABLE "thread_follows" ("root_id" uuid NOT NULL, "user_id" uuid NOT NULL, "following" boolean NOT NULL DEFAULT true, "last_read_seq" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_f379e92e97b861a5aa557089755" PRIMARY KEY ("root_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0b48abeb2a1e2f09a74adbe397" ON "thread_follows" ("user_id", "following") `);
        await queryRunner.query(`ALTER TABLE "messages" ADD "also_in_channel" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "reply_count" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "last_reply_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "replier_ids" uuid array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "reactions" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "pinned_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "pinned_by" uuid`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "forwarded_from" jsonb`);
        // The changes so far were edits and deletes: their actor is taken to be the sender.
        await queryRunner.query(`ALTER TABLE "message_changes" ADD "actor_id" uuid`);
        await queryRunner.query(`UPDATE "message_changes" ch SET "actor_id" = m."sender_id" FROM "messages" m WHERE m."id" = ch."message_id"`);
        await queryRunner.query(`ALTER TABLE "message_changes" ALTER COLUMN "actor_id" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "message_changes" ADD "detail" jsonb`);
        await queryRunner.query(`CREATE INDEX "IDX_messages_pinned" ON "messages" ("channel_id", "pinned_at") WHERE pinned_at IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_e6720cf2b92a43a2da63534877" ON "messages" ("thread_root_id", "seq") `);
        await queryRunner.query(`ALTER TABLE "message_reactions" ADD CONSTRAINT "FK_ce61e365d81a9dfc15cd36513b0" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "message_reactions" ADD CONSTRAINT "FK_b6d3eda2f99b64016d6a4cf112f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "thread_follows" ADD CONSTRAINT "FK_21d668160e42658a7e62de24fd5" FOREIGN KEY ("root_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "thread_follows" ADD CONSTRAINT "FK_a0a634310e10231a1d05a0aa21c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "thread_follows" DROP CONSTRAINT "FK_a0a634310e10231a1d05a0aa21c"`);
        await queryRunner.query(`ALTER TABLE "thread_follows" DROP CONSTRAINT "FK_21d668160e42658a7e62de24fd5"`);
        await queryRunner.query(`ALTER TABLE "message_reactions" DROP CONSTRAINT "FK_b6d3eda2f99b64016d6a4cf112f"`);
        await queryRunner.query(`ALTER TABLE "message_reactions" DROP CONSTRAINT "FK_ce61e365d81a9dfc15cd36513b0"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e6720cf2b92a43a2da63534877"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_messages_pinned"`);
        await queryRunner.query(`ALTER TABLE "message_changes" DROP COLUMN "detail"`);
        await queryRunner.query(`ALTER TABLE "message_changes" DROP COLUMN "actor_id"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "forwarded_from"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "pinned_by"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "pinned_at"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "reactions"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "replier_ids"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "last_reply_at"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "reply_count"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "also_in_channel"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0b48abeb2a1e2f09a74adbe397"`);
        await queryRunner.query(`DROP TABLE "thread_follows"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_7aa2ff89b0f736fa785294739b"`);
        await queryRunner.query(`DROP TABLE "message_reactions"`);
        await queryRunner.query(`CREATE INDEX "IDX_112c3bee9328a0795c1ab21c1a" ON "messages" ("thread_root_id") `);
    }

}
