/**
 * What idv keeps of the app's expected data for one session (the `expectations` table): the comparison's
 * state, readable by every decision, and two personal values read only by the comparison and a reviewer —
 * the expected data (JSON of ExpectedData) until the comparison is done (longer only while a review case
 * needs it), and the verified outputs when IDV_KEEP_VERIFIED_OUTPUTS is on. Both are encrypted at rest
 * (personal-fields.ts) and covered by `idv rekey` (personal-columns.ts).
 */
import type { SessionMatch } from '../domain/index.js';

/** The non-personal part, carried in every subject snapshot. */
export interface StoredExpectation {
  sessionId: string;
  subjectRef: string;
  /** The Connect account the session lives in (`Stripe-Account`); null for the platform's own. */
  account: string | null;
  match: SessionMatch;
  /** Whether the personal values are still stored (read them with getExpectation). */
  hasExpected: boolean;
  hasVerified: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The whole row, personal values included (decrypted by the encrypting store). */
export interface ExpectationValues extends StoredExpectation {
  /** JSON of ExpectedData; null once purged. */
  expected: string | null;
  /** JSON of the verified outputs kept; null when not kept or purged. */
  verified: string | null;
}

/** One expectation written with a SubjectChange. */
export interface ExpectationWrite {
  sessionId: string;
  subjectRef: string;
  /** Written when the row is first created, or when given (an event names its account); undefined keeps it. */
  account?: string | null;
  match: SessionMatch;
  /** undefined keeps the stored value; null purges it. Personal. */
  expected?: string | null;
  /** undefined keeps the stored value; null purges it. Personal. */
  verified?: string | null;
}
