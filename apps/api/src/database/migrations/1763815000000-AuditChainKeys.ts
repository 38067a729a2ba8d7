import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed audit chain: `hash_version` on every event, and the signed checkpoints of each
 * chain's head in a table of their own.
 *
 * Existing events cannot be re-chained here: their new hash needs the audit key, which lives
 * in the environment (AUDIT_KEY or the JWT secret), never in the database nor in the migration
 * CLI's reach. So they keep their unkeyed SHA-256 hashes and are marked version 1 (adding the
 * column with a default fills the existing rows without an UPDATE, which the append-only
 * trigger would refuse); the default is then dropped, so every new event states its version.
 * The first keyed event of a chain has the last old event's hash as its prevHash, inside its
 * HMAC: from then on the old events cannot be rewritten either. `verify` accepts version 1
 * only before the first version 2 event of a chain.
 */
export class AuditChainKeys1763815000000 implements MigrationInterface {
  name = 'AuditChainKeys1763815000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "hash_version" smallint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE "audit_events" ALTER COLUMN "hash_version" DROP DEFAULT`);

    await queryRunner.query(
      `CREATE TABLE "audit_checkpoints" ("id" uuid NOT NULL, "workspace_id" uuid, "event_count" bigint NOT NULL, "head_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(16) NOT NULL, "signature" character varying(64) NOT NULL, CONSTRAINT "PK_ec62ec0b7b181580b1fa64e1167" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_checkpoints_chain" ON "audit_checkpoints" ("workspace_id", "event_count") `);
    // Append-only, like the events (the function comes from the AuditLog migration).
    await queryRunner.query(
      `CREATE TRIGGER "audit_checkpoints_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_checkpoints_no_truncate" ON "audit_checkpoints"`);
    await queryRunner.query(`DROP TRIGGER "audit_checkpoints_no_update_delete" ON "audit_checkpoints"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_checkpoints_chain"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoints"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "hash_version"`);
  }
}
