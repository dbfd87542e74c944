/** Where the store lives, and how personal data is kept in it. */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface DatabaseSettings {
  readonly databaseUrl: string;
  readonly pgPoolSize: number;
  /** The key ring, current key first; empty when personal data is stored in clear. */
  readonly encryptionKeys: readonly string[];
}

export const DATABASE_URL_VARIABLE: EnvSpec = {
  name: 'IDV_DATABASE_URL',
  description: 'sqlite:<path> or postgres://user@host:port/db',
};

export const ENCRYPTION_VARIABLES: readonly EnvSpec[] = [
  {
    name: 'IDV_ENCRYPTION_KEYS',
    description: 'comma-separated 64-hex keys, current first; older ones only decrypt (see idv rekey)',
  },
  { name: 'IDV_ENCRYPTION_KEY', description: 'one 64-hex key; encrypts personal data at rest' },
];

export const DATABASE_VARIABLES: readonly EnvSpec[] = [
  DATABASE_URL_VARIABLE,
  { name: 'IDV_PG_POOL_SIZE', description: 'PostgreSQL connections per process' },
  ...ENCRYPTION_VARIABLES,
];

export function readDatabaseUrl(read: Reader): string {
  const databaseUrl = read.string('IDV_DATABASE_URL', 'sqlite:./data/idv.db')!;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    read.problem('IDV_DATABASE_URL', 'expected sqlite:<path> or postgres://user@host:port/db');
  }
  return databaseUrl;
}

/** IDV_ENCRYPTION_KEYS (the ring) or IDV_ENCRYPTION_KEY (one key); values are never echoed. */
export function readEncryptionKeys(read: Reader): readonly string[] {
  const ring = read.list('IDV_ENCRYPTION_KEYS');
  const single = read.string('IDV_ENCRYPTION_KEY');
  const keys = ring.length > 0 ? ring : single !== undefined ? [single] : [];
  const name = ring.length > 0 ? 'IDV_ENCRYPTION_KEYS' : 'IDV_ENCRYPTION_KEY';
  keys.forEach((key, i) => {
    if (!/^[0-9a-fA-F]{64}$/.test(key)) {
      const which = keys.length > 1 ? `key ${i + 1}: ` : '';
      read.problem(name, `${which}expected 64 hex characters (32 bytes), e.g. from \`openssl rand -hex 32\``);
    }
  });
  if (ring.length > 0 && single !== undefined && ring[0] !== single) {
    read.report(
      "IDV_ENCRYPTION_KEY, IDV_ENCRYPTION_KEYS: set one of them (the ring's first key is the current one)",
    );
  }
  return keys;
}

export function readDatabase(read: Reader): DatabaseSettings {
  return {
    databaseUrl: readDatabaseUrl(read),
    pgPoolSize: read.int('IDV_PG_POOL_SIZE', 10, 1, 200),
    encryptionKeys: readEncryptionKeys(read),
  };
}
