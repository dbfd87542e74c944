/**
 * Applies SQLite migrations in order, each in its own IMMEDIATE transaction together with its record in
 * schema_migrations, so a crash leaves either the whole step or nothing. Refuses a database that a newer
 * idv has migrated: running old code on a newer schema could corrupt it.
 */
import type { Database } from 'better-sqlite3';
import { IdvError } from '../../errors.js';
import type { SqliteMigration } from './migrations/index.js';

export function migrateSqlite(db: Database, migrations: readonly SqliteMigration[], now: number): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied: string[] = [];
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const step = db.transaction((migration: SqliteMigration) => {
    const current =
      (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    if (current > latestKnown) {
      throw new IdvError(
        'migration_newer_than_code',
        `The database is at migration ${current} but this idv knows only up to ${latestKnown}; upgrade idv-outcomes.`,
      );
    }
    if (migration.version <= current) return false;
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      migration.version,
      migration.name,
      now,
    );
    return true;
  });
  if (migrations.length === 0) return applied;
  for (const migration of migrations) {
    if (step.immediate(migration))
      applied.push(`${String(migration.version).padStart(3, '0')}-${migration.name}`);
  }
  return applied;
}
