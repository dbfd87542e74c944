/** Loaded only for postgres:// URLs. */
import type { Store } from '../store/store.js';

export async function openPostgresStore(_url: string, _options: { pgPoolSize?: number }): Promise<Store> {
  throw new Error(
    'IDV_DATABASE_URL: the PostgreSQL store is not available in this build; use sqlite:./data/idv.db',
  );
}
