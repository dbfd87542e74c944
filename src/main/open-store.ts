/** Picks the Store adapter from IDV_DATABASE_URL. The only place that knows both adapters exist. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IdvError } from '../errors.js';
import { withEncryptedPersonalData } from '../store/encrypting-store.js';
import { PersonalDataCipher } from '../store/personal-data-cipher.js';
import type { Store } from '../store/store.js';
import { SqliteStore, parseSqliteUrl } from '../store/sqlite/sqlite-store.js';

export async function openStore(
  databaseUrl: string,
  options: { pgPoolSize?: number; onConnectionError?: (err: Error) => void } = {},
): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) return new SqliteStore({ filename: sqliteFile(databaseUrl) });
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { openPostgresStore } = await import('./open-postgres.js');
    return openPostgresStore(databaseUrl, options);
  }
  throw new Error(`IDV_DATABASE_URL: unsupported scheme in "${databaseUrl.split(':')[0]}:"`);
}

/**
 * The SQLite file of the URL. Only the default folder, ./data, is created: any other missing folder is
 * more likely a typo in the path than a wish for a new tree of folders.
 */
function sqliteFile(databaseUrl: string): string {
  const filename = parseSqliteUrl(databaseUrl);
  if (filename === ':memory:') return filename;
  const folder = dirname(resolve(filename));
  if (folder !== resolve('data') && !existsSync(folder)) {
    throw new IdvError(
      'config_invalid',
      `IDV_DATABASE_URL (--db): the folder ${folder} of ${databaseUrl} does not exist; create it first (only the default ./data is created)`,
    );
  }
  return filename;
}

/**
 * The store as every command that touches subjects must see it: with IDV_ENCRYPTION_KEYS (or IDV_ENCRYPTION_KEY) set, personal data is
 * encrypted on the way in and decrypted on the way out whichever process writes it (serve, replay, library).
 */
export async function openConfiguredStore(
  config: { databaseUrl: string; pgPoolSize?: number; encryptionKeys: readonly string[] },
  options: { onConnectionError?: (err: Error) => void; store?: Store } = {},
): Promise<Store> {
  const store =
    options.store ??
    (await openStore(config.databaseUrl, {
      ...(config.pgPoolSize !== undefined ? { pgPoolSize: config.pgPoolSize } : {}),
      ...(options.onConnectionError ? { onConnectionError: options.onConnectionError } : {}),
    }));
  return config.encryptionKeys.length > 0
    ? withEncryptedPersonalData(store, new PersonalDataCipher(config.encryptionKeys))
    : store;
}
