import { MigrationInterface, QueryRunner } from "typeorm";

/** The audit outbox (issue #13, bench 7): audited actions write their event here, unchained, and a drain chains it after their commit (generated against a fresh database). */

export class AuditOutbox1765100000000 implements MigrationInterface {
    name = 'AuditOutbox1765100000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_outbox" ("id" BIGSERIAL NOT NULL, "workspace_id" uuid, "event" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_98682a68a8183a609b888eb1fff" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "audit_outbox"`);
    }

}
