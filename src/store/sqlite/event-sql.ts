/** SQLite statements of the worker: claim due events, record failures, apply claimed events. */
import type { Database } from 'better-sqlite3';
import type { ClaimOptions } from '../store.js';
import type {
  ApplyOutcome,
  ClaimedEvent,
  DueEventResult,
  EventFailure,
  EventToApply,
  PrepareEvent,
} from '../records.js';
import { asError } from '../claim-then-apply.js';
import { EVENT_COLUMNS, toEventRecord, type EventRow } from '../rows.js';
import { writeSync } from '../subject-writer.js';
import { CoalescedRound } from './coalesced-round.js';
import { prepared } from './prepared.js';
import { sqliteSubjectStatements } from './subject-statements.js';
import { loadSession, loadSnapshot } from './subject-reads.js';

/** Due rows, oldest first. */
function selectDue(db: Database, now: number, limit: number): EventRow[] {
  return prepared(
    db,
    // INDEXED BY: without statistics the planner prefers events_status_newest and sorts the whole
    // backlog on every claim (measured: 800 events/s at 100,000 queued instead of 5,000).
    `SELECT ${EVENT_COLUMNS}, payload FROM events INDEXED BY events_due
     WHERE status IN ('pending', 'failed') AND next_attempt_at <= @now
       AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
     ORDER BY next_attempt_at, received_at, id LIMIT @limit`,
  ).all({ now, limit }) as EventRow[];
}

/**
 * The leased row's next try moves to its lease's expiry, so the due range (and the claim index) only holds
 * rows that are really due. A pending row keeps its status, so the status index is not rewritten.
 */
function lease(db: Database, row: EventRow, owner: string, until: number): void {
  const sql =
    row.status === 'pending'
      ? `UPDATE events SET lease_owner = ?, lease_expires_at = ?, next_attempt_at = ?,
           attempts = attempts + 1 WHERE id = ?`
      : `UPDATE events SET status = 'pending', lease_owner = ?, lease_expires_at = ?, next_attempt_at = ?,
           attempts = attempts + 1 WHERE id = ?`;
  prepared(db, sql).run(owner, until, until, row.id);
}

function claimed(row: EventRow, owner: string): ClaimedEvent {
  return {
    ...toEventRecord({ ...row, status: 'pending', attempts: row.attempts + 1 }),
    payload: row.payload as string,
    leaseOwner: owner,
  };
}

export function claimEvents(db: Database, options: ClaimOptions): ClaimedEvent[] {
  const { owner, limit, leaseMs, now } = options;
  // One writer at a time in SQLite, so select-then-update inside one transaction cannot race. An expired
  // lease on a pending row means its worker died: the row is due again.
  const rows = db
    .transaction(() => {
      const due = selectDue(db, now, limit);
      for (const row of due) lease(db, row, owner, now + leaseMs);
      return due;
    })
    .immediate();
  return rows.map((row) => claimed(row, owner));
}

/**
 * The worker's round in one transaction: select the due events, prepare and apply each, commit once. It
 * holds SQLite's write lock from the select to the commit, so no other worker can take these rows and no
 * lease is written — the two-step round writes every event row twice (lease, then processed), each write
 * moving it in the due index and copying its page into the WAL again. An event whose `prepare` throws is
 * leased to the owner in the same transaction, for the caller's failEvent. If applying any event throws,
 * everything is rolled back and null returned: the caller then takes the two-step round, where each event
 * runs in a savepoint of its own.
 */
export function processDueEvents(
  db: Database,
  options: ClaimOptions,
  prepare: PrepareEvent,
): DueEventResult[] | null {
  const { owner, limit, leaseMs, now } = options;
  try {
    return db
      .transaction(() => {
        const round = new CoalescedRound(db, now);
        const results = selectDue(db, now, limit).map((row): DueEventResult => {
          const event = claimed(row, owner);
          let item: EventToApply;
          try {
            item = prepare(event);
          } catch (err) {
            lease(db, row, owner, now + leaseMs);
            return { event, outcome: { unprepared: asError(err) } };
          }
          prepared(
            db,
            `UPDATE events SET status = 'processed', processed_at = ?, last_error = NULL, lease_owner = NULL,
               lease_expires_at = NULL, attempts = attempts + 1 WHERE id = ?`,
          ).run(now, row.id);
          applyChange(round, item);
          return { event, outcome: 'applied' };
        });
        round.flush();
        return results;
      })
      .immediate();
  } catch {
    return null;
  }
}

export function failEvent(db: Database, failure: EventFailure): void {
  prepared(
    db,
    `UPDATE events SET status = @status, last_error = @error, next_attempt_at = @next,
         lease_owner = NULL, lease_expires_at = NULL
       WHERE id = @id AND lease_owner = @owner AND status = 'pending'`,
  ).run({
    id: failure.id,
    owner: failure.owner,
    error: failure.error,
    status: failure.retryAt === null ? 'dead' : 'failed',
    next: failure.retryAt ?? failure.now,
  });
}

/**
 * The batch shares a single commit. It is first tried without savepoints (two statements less per event);
 * if any event throws, that attempt is rolled back whole and the batch runs again with each event in a
 * savepoint (a transaction nested in better-sqlite3), so the one that throws rolls back alone.
 */
export function applyEvents(db: Database, items: EventToApply[], now: number): ApplyOutcome[] {
  try {
    return db
      .transaction(() => items.map((item): ApplyOutcome => applyInTransaction(db, item, now)))
      .immediate();
  } catch {
    // Rolled back: nothing of the first attempt is kept.
  }
  const applyOne = db.transaction((item: EventToApply) => applyInTransaction(db, item, now));
  return db
    .transaction(() =>
      items.map((item): ApplyOutcome => {
        try {
          return applyOne(item);
        } catch (err) {
          return { error: err instanceof Error ? err : new Error(String(err)) };
        }
      }),
    )
    .immediate();
}

function applyInTransaction(
  db: Database,
  { claim, application }: EventToApply,
  now: number,
): 'applied' | 'lease_lost' {
  // Marked processed first, only while this worker still holds the lease: that is the lease check too.
  const held = prepared(
    db,
    `UPDATE events SET status = 'processed', processed_at = ?, last_error = NULL, lease_owner = NULL,
       lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
  ).run(now, claim.eventId, claim.owner);
  if (held.changes === 0) return 'lease_lost';
  const stored = loadSession(db, claim.sessionId);
  const ref = application.resolveSubject(stored);
  const change = application.decide(stored, ref === null ? null : loadSnapshot(db, ref));
  writeSync(sqliteSubjectStatements(db), change, now);
  return 'applied';
}

/** One event of a one-transaction round: its reads and writes go through the round's cache. */
function applyChange(round: CoalescedRound, { claim, application }: EventToApply): void {
  const stored = round.loadSession(claim.sessionId);
  const ref = application.resolveSubject(stored);
  round.write(application.decide(stored, ref === null ? null : round.loadSnapshot(ref)));
}
