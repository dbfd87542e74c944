/**
 * The adapters the contract suite runs against, as factories of empty databases (kysely's DIALECTS loop):
 * SQLite on a temp file, PostgreSQL on a fresh schema. Each test gets its own database, so no test sees
 * another's rows; `open()` twice gives two "processes" on the same database.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parsePostgresUrl } from '../../src/store/postgres/connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema, withAdminClient } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

export interface TestDatabase {
  /** A new Store on this database (not migrated). */
  open(): Store;
  /** Runs SQL outside any Store; keep it to SQL both dialects accept. */
  exec(sql: string): Promise<void>;
  /** Reads rows outside any Store (SQL both dialects accept). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Closes every Store opened here and removes the database. */
  drop(): Promise<void>;
}

export interface AdapterFactory {
  name: 'sqlite' | 'postgres';
  /** A reason to skip this adapter's leg, or false to run it. */
  skip(): Promise<string | false>;
  createDatabase(): Promise<TestDatabase>;
}

const sqlite: AdapterFactory = {
  name: 'sqlite',
  skip: async () => false,
  async createDatabase() {
    const temp = tempDir('idv-contract-');
    const filename = join(temp.dir, 'idv.db');
    const opened: Store[] = [];
    return {
      open() {
        const store = new SqliteStore({ filename, busyTimeoutMs: 5_000 });
        opened.push(store);
        return store;
      },
      async exec(sql) {
        const db = new Database(filename);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      async rows(sql) {
        const db = new Database(filename, { readonly: true });
        try {
          return db.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      async drop() {
        for (const store of opened) await store.close();
        temp.cleanup();
      },
    };
  },
};

const postgres: AdapterFactory = {
  name: 'postgres',
  skip: skipPostgres,
  async createDatabase() {
    const schema = uniqueSchema('idv_contract');
    const connection = parsePostgresUrl(schemaUrl(schema));
    const opened: Store[] = [];
    return {
      open() {
        const store = new PostgresStore({ connection, poolSize: 4 });
        opened.push(store);
        return store;
      },
      async exec(sql) {
        await withAdminClient(schema, (client) => client.query(sql));
      },
      async rows(sql) {
        return withAdminClient(schema, async (client) => (await client.query(sql)).rows);
      },
      async drop() {
        for (const store of opened) await store.close();
        await dropSchema(schema);
      },
    };
  },
};

export const ADAPTERS: readonly AdapterFactory[] = [sqlite, postgres];
