import { MigrationInterface, QueryRunner } from "typeorm";

export class MessageChanges1764700000000 implements MigrationInterface {
    name = 'MessageChanges1764700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "message_changes" ("channel_id" uuid NOT NULL, "change_seq" bigint NOT NULL, "message_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_820157e0c4fa0cd736242108ebd" PRIMARY KEY ("channel_id", "change_seq"))`);
        await queryRunner.query(`CREATE TABLE "message_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" uuid NOT NULL, "text" text NOT NULL, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL, "replaced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b954abc61851bd3de7d39d9951b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_811b7942c23a9d0e205e8d2f79" ON "message_versions" ("message_id", "replaced_at") `);
        await queryRunner.query(`ALTER TABLE "channels" ADD "last_change_seq" bigint NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "message_changes" ADD CONSTRAINT "FK_63d873c4e683a2a72e31a5b1b81" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "message_changes" ADD CONSTRAINT "FK_80ef2ed8b47d3b82fa15e081ade" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "message_versions" ADD CONSTRAINT "FK_cbdbf5b0ba2f1b01d7b2c3ec2f6" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "message_versions" DROP CONSTRAINT "FK_cbdbf5b0ba2f1b01d7b2c3ec2f6"`);
        await queryRunner.query(`ALTER TABLE "message_changes" DROP CONSTRAINT "FK_80ef2ed8b47d3b82fa15e081ade"`);
        await queryRunner.query(`ALTER TABLE "message_changes" DROP CONSTRAINT "FK_63d873c4e683a2a72e31a5b1b81"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "last_change_seq"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_811b7942c23a9d0e205e8d2f79"`);
        await queryRunner.query(`DROP TABLE "message_versions"`);
        await queryRunner.query(`DROP TABLE "message_changes"`);
    }

}
