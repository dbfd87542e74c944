/**
 * Reading what a server stored, from outside it: the bench opens the SQLite file (or the PostgreSQL schema)
 * itself, so "every acknowledged event is stored" is checked against the database, not against the server's
 * own word.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export const PG_BASE_URL = process.env.IDV_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function sqliteReader(file) {
  return {
    kind: 'sqlite',
    async ids() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return new Set(db.prepare('SELECT id FROM events').pluck().all());
      } finally {
        db.close();
      }
    },
    async statusCounts() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare('SELECT status, count(*) AS n FROM events GROUP BY status').all();
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
      } finally {
        db.close();
      }
    },
    /** processed_at − received_at (ms) of each event received from `from` on; null when not processed. */
    async latenciesSince(from) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare(
            "SELECT CASE WHEN status = 'processed' THEN processed_at - received_at END FROM events WHERE received_at >= ? AND status <> 'ignored'",
          )
          .pluck()
          .all(from);
      } finally {
        db.close();
      }
    },
    /** [id, received_at, processed_at] of every processed event. */
    async timings() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare("SELECT id, received_at, processed_at FROM events WHERE status = 'processed'")
          .raw()
          .all();
      } finally {
        db.close();
      }
    },
  };
}

/** A fresh schema in the test database; `url` points idv at it through search_path. */
export async function createPgSchema(name) {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await client.query(`CREATE SCHEMA ${name}`);
  } finally {
    await client.end();
  }
  const separator = PG_BASE_URL.includes('?') ? '&' : '?';
  return { name, url: `${PG_BASE_URL}${separator}options=${encodeURIComponent(`-c search_path=${name}`)}` };
}

export async function dropPgSchema(name) {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}

export function pgReader(schema) {
  const query = async (sql) => {
    const client = new pg.Client({ connectionString: PG_BASE_URL });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    async ids() {
      return new Set((await query(`SELECT id FROM ${schema}.events`)).map((r) => r.id));
    },
    async statusCounts() {
      const rows = await query(`SELECT status, count(*)::int AS n FROM ${schema}.events GROUP BY status`);
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    async timings() {
      const rows = await query(
        `SELECT id, received_at::float8 AS r, processed_at::float8 AS p FROM ${schema}.events WHERE status = 'processed'`,
      );
      return rows.map((r) => [r.id, r.r, r.p]);
    },
  };
}
