/**
 * Whether the database can grow. A full disk (or SQLite's max_page_count) fails writes with SQLITE_FULL but
 * still answers reads, so readiness cannot be told by a read: after a write failed for lack of space, the
 * store is not ready until the file has room to grow again.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';

/** Below this much free space on the file system the database counts as still full. */
const MIN_FREE_BYTES = 8 * 1024 * 1024;

export function isDiskFull(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'SQLITE_FULL';
}

export function hasRoom(db: Database, filename: string): boolean {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const maxPages = db.pragma('max_page_count', { simple: true }) as number;
  if (pages >= maxPages) return false;
  if (filename === ':memory:') return true;
  const fs = statfsSync(dirname(filename));
  return fs.bavail * fs.bsize >= MIN_FREE_BYTES;
}
