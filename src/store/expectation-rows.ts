/** The `expectations` row of both adapters and its mapping to records (rows.ts does the others). */
import type { SessionMatch } from '../domain/index.js';
import type { ExpectationValues, StoredExpectation } from './expectation-records.js';

export interface ExpectationRow {
  session_id: string;
  subject_ref: string;
  account: string | null;
  match: SessionMatch | string;
  expected?: string | null;
  verified?: string | null;
  has_expected: boolean | number;
  has_verified: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

/** The columns of a snapshot's expectations: everything but the personal values. */
export const EXPECTATION_STATE_COLUMNS = `session_id, subject_ref, account, match,
  (expected IS NOT NULL) AS has_expected, (verified IS NOT NULL) AS has_verified, created_at, updated_at`;

export function toStoredExpectation(row: ExpectationRow): StoredExpectation {
  return {
    sessionId: row.session_id,
    subjectRef: row.subject_ref,
    account: row.account,
    match: typeof row.match === 'string' ? (JSON.parse(row.match) as SessionMatch) : row.match,
    hasExpected: row.has_expected === true || row.has_expected === 1,
    hasVerified: row.has_verified === true || row.has_verified === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toExpectationValues(row: ExpectationRow): ExpectationValues {
  return { ...toStoredExpectation(row), expected: row.expected ?? null, verified: row.verified ?? null };
}
