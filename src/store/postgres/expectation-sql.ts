/** PostgreSQL statements of the `expectations` table (expectation-records.ts). */
import type pg from 'pg';
import type { ExpectationValues, ExpectationWrite, StoredExpectation } from '../expectation-records.js';
import {
  EXPECTATION_STATE_COLUMNS,
  toExpectationValues,
  toStoredExpectation,
  type ExpectationRow,
} from '../expectation-rows.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function upsertExpectation(client: Queryable, e: ExpectationWrite, now: number): Promise<void> {
  await client.query(
    `INSERT INTO expectations (session_id, subject_ref, account, match, expected, verified, created_at, updated_at)
       VALUES ($1, $2, $3, $4::json, $5, $6, $7, $7)
       ON CONFLICT (session_id) DO UPDATE SET match = excluded.match,
         account = CASE WHEN $8 THEN excluded.account ELSE expectations.account END,
         expected = CASE WHEN $9 THEN excluded.expected ELSE expectations.expected END,
         verified = CASE WHEN $10 THEN excluded.verified ELSE expectations.verified END,
         updated_at = excluded.updated_at`,
    [
      e.sessionId,
      e.subjectRef,
      e.account ?? null,
      JSON.stringify(e.match),
      e.expected ?? null,
      e.verified ?? null,
      now,
      e.account !== undefined,
      e.expected !== undefined,
      e.verified !== undefined,
    ],
  );
}

export async function loadExpectations(client: Queryable, ref: string): Promise<StoredExpectation[]> {
  const { rows } = await client.query<ExpectationRow>(
    `SELECT ${EXPECTATION_STATE_COLUMNS} FROM expectations WHERE subject_ref = $1 ORDER BY session_id`,
    [ref],
  );
  return rows.map(toStoredExpectation);
}

export async function getExpectation(
  client: Queryable,
  sessionId: string,
): Promise<ExpectationValues | null> {
  const { rows } = await client.query<ExpectationRow>(
    `SELECT ${EXPECTATION_STATE_COLUMNS}, expected, verified FROM expectations WHERE session_id = $1`,
    [sessionId],
  );
  return rows[0] ? toExpectationValues(rows[0]) : null;
}
