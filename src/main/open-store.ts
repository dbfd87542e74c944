/** Picks the Store adapter from IDV_DATABASE_URL. The only place that knows both adapters exist. */
import { withEncryptedPersonalData } from '../store/encrypting-store.js';
import { PersonalDataCipher } from '../store/personal-data-cipher.js';
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
