import { BUILT_IN_ROLE_PERMISSIONS, BuiltInRole } from '@parley/contracts';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Built-in roles stop storing their permissions: from now on the api resolves them from the
 * catalogue of the running version (permissionsOf in libs/contracts), so a permission added to
 * the catalogue reaches every existing Owner without a data change. Their rows keep their
 * kind (`built_in`) and name; only custom roles store permission sets, and a check keeps it so
 * (a built-in row that stores a permission would be a copy nobody reads, drifting from the truth).
 *
 * `down` gives the older code, which reads the stored sets, the copies it expects: those of
 * the catalogue that runs the rollback (which knows at least every permission the older code does).
 */
export class BuiltInRolesFromCatalogue1764600000000 implements MigrationInterface {
  name = 'BuiltInRolesFromCatalogue1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "roles" SET "permissions" = '{}' WHERE "built_in" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "roles" ADD CONSTRAINT "CHK_roles_built_in_store_nothing" CHECK ("built_in" IS NULL OR "permissions" = '{}')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "CHK_roles_built_in_store_nothing"`);
    for (const [builtIn, permissions] of Object.entries(BUILT_IN_ROLE_PERMISSIONS) as [BuiltInRole, readonly string[]][]) {
      await queryRunner.query(`UPDATE "roles" SET "permissions" = $1 WHERE "built_in" = $2`, [permissions, builtIn]);
    }
  }
}
