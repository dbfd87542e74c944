/** `idv migrate [--db URL]`: apply migrations and exit. */
import { loadConfig } from '../../config/load.js';
import { openStore } from '../../main/open-store.js';
import { exitOnConfigError } from '../config-error.js';

export async function run(argv: string[]): Promise<number> {
  const config = exitOnConfigError(() => loadConfig(argv, process.env, { requireWebhookSecret: false }));
  if (typeof config === 'number') return config;
  const store = await openStore(config.databaseUrl, { pgPoolSize: 1 });
  try {
    const { applied } = await store.migrate();
    process.stdout.write(
      applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}
