/** Where the store lives, and how personal data is kept in it. */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface DatabaseSettings {
  readonly databaseUrl: string;
  readonly pgPoolSize: number;
  readonly encryptionKey: string | undefined;
}

export const DATABASE_URL_VARIABLE: EnvSpec = {
  name: 'IDV_DATABASE_URL',
  description: 'sqlite:<path> or postgres://user@host:port/db',
};

export const ENCRYPTION_KEY_VARIABLE: EnvSpec = {
  name: 'IDV_ENCRYPTION_KEY',
  description: '64 hex characters; encrypts personal data at rest',
};

export const DATABASE_VARIABLES: readonly EnvSpec[] = [
  DATABASE_URL_VARIABLE,
  { name: 'IDV_PG_POOL_SIZE', description: 'PostgreSQL connections per process' },
  ENCRYPTION_KEY_VARIABLE,
];

export function readDatabaseUrl(read: Reader): string {
  const databaseUrl = read.string('IDV_DATABASE_URL', 'sqlite:./data/idv.db')!;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    read.problem('IDV_DATABASE_URL', 'expected sqlite:<path> or postgres://user@host:port/db');
  }
  return databaseUrl;
}

export function readEncryptionKey(read: Reader): string | undefined {
  const encryptionKey = read.string(ENCRYPTION_KEY_VARIABLE.name);
  if (encryptionKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(encryptionKey)) {
    read.problem(
      ENCRYPTION_KEY_VARIABLE.name,
      'expected 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`',
    );
  }
  return encryptionKey;
}

export function readDatabase(read: Reader): DatabaseSettings {
  return {
    databaseUrl: readDatabaseUrl(read),
    pgPoolSize: read.int('IDV_PG_POOL_SIZE', 10, 1, 200),
    encryptionKey: readEncryptionKey(read),
  };
}
