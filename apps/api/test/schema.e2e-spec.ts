import { databaseModes, startTestApp } from './support/test-app';

/** The CI check behind "never synchronize": after the migrations, the entities need no further change. */
describe.each(databaseModes())('schema (%s database)', (mode) => {
  it('migrations create exactly what the entities describe', async () => {
    const t = await startTestApp({ mode });
    try {
      const pending = await t.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await t.dataSource.showMigrations()).toBe(false);
    } finally {
      await t.close();
    }
  });
});
