/** `idv migrate [--db URL]`: apply migrations and exit. */
import { MIGRATE_VARIABLES, readMigrate } from '../../config/operations.js';
import { DATABASE_FLAG } from '../../config/service.js';
import { defineCommand } from '../command.js';

export const migrate = defineCommand({
  name: 'migrate',
  summary: 'apply database migrations and exit',
  details: '`idv serve` also migrates at start-up; run this to migrate before starting many processes.',
  flags: [DATABASE_FLAG],
  env: MIGRATE_VARIABLES,
  settings: readMigrate,
  async run({ settings, stdout }) {
    const { openStore } = await import('../../main/open-store.js');
    const store = await openStore(settings.databaseUrl, { pgPoolSize: 1 });
    try {
      const { applied } = await store.migrate();
      stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      return 0;
    } finally {
      await store.close();
    }
  },
});
