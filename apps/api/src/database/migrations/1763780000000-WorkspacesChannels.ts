import { MigrationInterface, QueryRunner } from "typeorm";

export class WorkspacesChannels1763780000000 implements MigrationInterface {
    name = 'WorkspacesChannels1763780000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "workspaces" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(80) NOT NULL, "description" character varying(500), "settings" jsonb NOT NULL DEFAULT '{}', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "type" character varying(16) NOT NULL, "name" character varying(80), "topic" character varying(250), "dm_key" character varying(400), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, "last_seq" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_bc603823f3f741359c2339389f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_46b1b2f31048ef19690152edab" ON "channels" ("workspace_id", "dm_key") WHERE dm_key IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4261a94928a1bd9b7061ec4e84" ON "channels" ("workspace_id", "name") WHERE name IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "channel_members" ("channel_id" uuid NOT NULL, "user_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_read_seq" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_f25be699d4039301684128a7a8b" PRIMARY KEY ("channel_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_2211e70107e1663e0ea61d70de" ON "channel_members" ("user_id") `);
        await queryRunner.query(`CREATE TABLE "roles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "name" character varying(40) NOT NULL, "permissions" text array NOT NULL DEFAULT '{}', "built_in" character varying(16), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c1433d71a4838793a49dcad46ab" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_390d26e2563838a4e71f1539d9" ON "roles" ("workspace_id", "name") `);
        await queryRunner.query(`CREATE TABLE "invites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "role_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "invited_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_0843131f4ae91435709527a4f18" UNIQUE ("token_hash"), CONSTRAINT "PK_aa52e96b44a714372f4dd31a0af" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_568872c5b015a0e9d763837d53" ON "invites" ("workspace_id") `);
        await queryRunner.query(`CREATE TABLE "workspace_members" ("workspace_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deactivated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_4896b609c71ca5ad20ad662077b" PRIMARY KEY ("workspace_id", "user_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4e83431119fa585fc7aa8b817d" ON "workspace_members" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cd3916b233236ce65c819f8c3f" ON "workspace_members" ("role_id") `);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "FK_e996fff1751f5c3e8997c7e7d70" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channel_members" ADD CONSTRAINT "FK_71a10831469775a1effdd85f240" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channel_members" ADD CONSTRAINT "FK_2211e70107e1663e0ea61d70de6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "roles" ADD CONSTRAINT "FK_5291e7ee78e540217bd44bd3688" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "invites" ADD CONSTRAINT "FK_568872c5b015a0e9d763837d530" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "invites" ADD CONSTRAINT "FK_8b432fcafe8246529b0476feb59" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspace_members" ADD CONSTRAINT "FK_4a7c584ddfe855379598b5e20fd" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspace_members" ADD CONSTRAINT "FK_4e83431119fa585fc7aa8b817db" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "workspace_members" ADD CONSTRAINT "FK_cd3916b233236ce65c819f8c3f0" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "workspace_members" DROP CONSTRAINT "FK_cd3916b233236ce65c819f8c3f0"`);
        await queryRunner.query(`ALTER TABLE "workspace_members" DROP CONSTRAINT "FK_4e83431119fa585fc7aa8b817db"`);
        await queryRunner.query(`ALTER TABLE "workspace_members" DROP CONSTRAINT "FK_4a7c584ddfe855379598b5e20fd"`);
        await queryRunner.query(`ALTER TABLE "invites" DROP CONSTRAINT "FK_8b432fcafe8246529b0476feb59"`);
        await queryRunner.query(`ALTER TABLE "invites" DROP CONSTRAINT "FK_568872c5b015a0e9d763837d530"`);
        await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "FK_5291e7ee78e540217bd44bd3688"`);
        await queryRunner.query(`ALTER TABLE "channel_members" DROP CONSTRAINT "FK_2211e70107e1663e0ea61d70de6"`);
        await queryRunner.query(`ALTER TABLE "channel_members" DROP CONSTRAINT "FK_71a10831469775a1effdd85f240"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "FK_e996fff1751f5c3e8997c7e7d70"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_cd3916b233236ce65c819f8c3f"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4e83431119fa585fc7aa8b817d"`);
        await queryRunner.query(`DROP TABLE "workspace_members"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_568872c5b015a0e9d763837d53"`);
        await queryRunner.query(`DROP TABLE "invites"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_390d26e2563838a4e71f1539d9"`);
        await queryRunner.query(`DROP TABLE "roles"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2211e70107e1663e0ea61d70de"`);
        await queryRunner.query(`DROP TABLE "channel_members"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4261a94928a1bd9b7061ec4e84"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_46b1b2f31048ef19690152edab"`);
        await queryRunner.query(`DROP TABLE "channels"`);
        await queryRunner.query(`DROP TABLE "workspaces"`);
    }

}
