/**
 * Applies PostgreSQL migrations under a session advisory lock, so processes that start at once migrate once:
 * the first applies, the others wait and then find nothing to do. Each step runs in its own transaction
 * together with its row in schema_migrations, so a crash leaves either the whole step or nothing. Refuses a
 * database that a newer idv has migrated: old code on a newer schema could corrupt it.
 */
import type pg from 'pg';
import { IdvError } from '../../errors.js';
import { quoteIdent } from './connection.js';
import type { PostgresMigration } from './migrations/index.js';

export async function migratePostgres(
  client: pg.PoolClient,
  schema: string | null,
  migrations: readonly PostgresMigration[],
  now: number,
): Promise<string[]> {
  // One lock per schema: test files (and tenants) that share a database but not a schema do not wait on each other.
  await client.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`idv:migrate:${schema ?? ''}`]);
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const latestKnown = migrations.at(-1)?.version ?? 0;
    const current = await currentVersion(client);
    if (current > latestKnown) {
      throw new IdvError(
        'migration_newer_than_code',
        `The database is at migration ${current} but this idv knows only up to ${latestKnown}; upgrade idv-outcomes.`,
      );
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          now,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      applied.push(`${String(migration.version).padStart(3, '0')}-${migration.name}`);
    }
    return applied;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`idv:migrate:${schema ?? ''}`]);
  }
}

async function currentVersion(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: number | null }>(
    'SELECT MAX(version) AS v FROM schema_migrations',
  );
  return rows[0]?.v ?? 0;
}
