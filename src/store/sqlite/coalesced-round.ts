/**
 * The reads and writes of one SQLite worker round (processDueEvents): a RoundCache (../round-cache.ts, which
 * says why the result is the same) over this transaction's synchronous statements, so a subject's session
 * and subject rows are written once per round instead of once per event.
 */
import type { Database } from 'better-sqlite3';
import type { StoredSession, SubjectChange, SubjectSnapshot } from '../records.js';
import { RoundCache } from '../round-cache.js';
import type { SubjectStatements } from '../subject-writer.js';
import { sqliteSubjectStatements } from './subject-statements.js';
import { loadSession, loadSnapshot } from './subject-reads.js';

export class CoalescedRound {
  private readonly statements: SubjectStatements<void>;
  private readonly cache: RoundCache;

  constructor(
    private readonly db: Database,
    now: number,
  ) {
    this.statements = sqliteSubjectStatements(db);
    this.cache = new RoundCache(now);
  }

  loadSession(id: string): StoredSession | null {
    let session = this.cache.session(id);
    if (session === undefined) this.cache.rememberSession(id, (session = loadSession(this.db, id)));
    return session;
  }

  loadSnapshot(ref: string): SubjectSnapshot {
    let snapshot = this.cache.snapshot(ref);
    if (!snapshot) this.cache.rememberSnapshot(ref, (snapshot = loadSnapshot(this.db, ref)));
    return snapshot;
  }

  write(change: SubjectChange): void {
    for (const write of this.cache.writesFor(this.statements, change)) write();
  }

  /** Writes the deferred rows; the caller commits. */
  flush(): void {
    for (const write of this.cache.drain(this.statements)) write();
  }
}
