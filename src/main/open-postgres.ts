/** Loaded only for postgres:// URLs, so a SQLite deployment never loads `pg`. */
import { parsePostgresUrl } from '../store/postgres/connection.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import type { Store } from '../store/store.js';

export async function openPostgresStore(
  url: string,
  options: { pgPoolSize?: number; onConnectionError?: (err: Error) => void },
): Promise<Store> {
  return new PostgresStore({
    connection: parsePostgresUrl(url),
    ...(options.pgPoolSize !== undefined ? { poolSize: options.pgPoolSize } : {}),
    ...(options.onConnectionError ? { onConnectionError: options.onConnectionError } : {}),
  });
}
