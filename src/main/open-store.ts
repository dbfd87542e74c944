/** Picks the Store adapter from IDV_DATABASE_URL. The only place that knows both adapters exist. */
import type { Store } from '../store/store.js';
import { SqliteStore, parseSqliteUrl } from '../store/sqlite/sqlite-store.js';

export async function openStore(
  databaseUrl: string,
  options: { pgPoolSize?: number; onConnectionError?: (err: Error) => void } = {},
): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) return new SqliteStore({ filename: parseSqliteUrl(databaseUrl) });
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { openPostgresStore } = await import('./open-postgres.js');
    return openPostgresStore(databaseUrl, options);
  }
  throw new Error(`IDV_DATABASE_URL: unsupported scheme in "${databaseUrl.split(':')[0]}:"`);
}
