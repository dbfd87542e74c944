/** SQLite statements of the `expectations` table (expectation-records.ts). */
import type { Database } from 'better-sqlite3';
import type { ExpectationValues, ExpectationWrite, StoredExpectation } from '../expectation-records.js';
import {
  EXPECTATION_STATE_COLUMNS,
  toExpectationValues,
  toStoredExpectation,
  type ExpectationRow,
} from '../expectation-rows.js';
import { prepared } from './prepared.js';

export function upsertExpectation(db: Database, e: ExpectationWrite, now: number): void {
  prepared(
    db,
    `INSERT INTO expectations (session_id, subject_ref, account, match, expected, verified, created_at, updated_at)
       VALUES (@sessionId, @subjectRef, @account, @match, @expected, @verified, @now, @now)
       ON CONFLICT (session_id) DO UPDATE SET match = excluded.match,
         account = CASE WHEN @accountGiven THEN excluded.account ELSE expectations.account END,
         expected = CASE WHEN @expectedGiven THEN excluded.expected ELSE expectations.expected END,
         verified = CASE WHEN @verifiedGiven THEN excluded.verified ELSE expectations.verified END,
         updated_at = excluded.updated_at`,
  ).run({
    sessionId: e.sessionId,
    subjectRef: e.subjectRef,
    account: e.account ?? null,
    match: JSON.stringify(e.match),
    expected: e.expected ?? null,
    verified: e.verified ?? null,
    accountGiven: e.account !== undefined ? 1 : 0,
    expectedGiven: e.expected !== undefined ? 1 : 0,
    verifiedGiven: e.verified !== undefined ? 1 : 0,
    now,
  });
}

export function loadExpectations(db: Database, ref: string): StoredExpectation[] {
  const rows = prepared(
    db,
    `SELECT ${EXPECTATION_STATE_COLUMNS} FROM expectations WHERE subject_ref = ? ORDER BY session_id`,
  ).all(ref) as ExpectationRow[];
  return rows.map(toStoredExpectation);
}

export function getExpectation(db: Database, sessionId: string): ExpectationValues | null {
  const row = prepared(
    db,
    `SELECT ${EXPECTATION_STATE_COLUMNS}, expected, verified FROM expectations WHERE session_id = ?`,
  ).get(sessionId) as ExpectationRow | undefined;
  return row ? toExpectationValues(row) : null;
}
