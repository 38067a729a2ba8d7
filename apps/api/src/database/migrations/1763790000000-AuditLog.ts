import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditLog1763790000000 implements MigrationInterface {
    name = 'AuditLog1763790000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid, "seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "action" character varying(80) NOT NULL, "target_type" character varying(40), "target_id" character varying(80), "outcome" character varying(16) NOT NULL, "ip" character varying(64), "user_agent" character varying(512), "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);

        // Written by hand (the entity declares it with synchronize: false): one position per chain,
        // the chain of events outside any workspace (workspace_id null) included.
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_audit_events_chain_seq" ON "audit_events" ("workspace_id", "seq") NULLS NOT DISTINCT`);

        // Append-only: nobody, the application included, may change or remove an event.
        await queryRunner.query(`CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
        await queryRunner.query(`CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"()`);
        await queryRunner.query(`CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "audit_events_no_truncate" ON "audit_events"`);
        await queryRunner.query(`DROP TRIGGER "audit_events_no_update_delete" ON "audit_events"`);
        await queryRunner.query(`DROP FUNCTION "audit_events_append_only"()`);
        await queryRunner.query(`DROP INDEX "public"."UQ_audit_events_chain_seq"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
    }

}
