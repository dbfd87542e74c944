/**
 * Records of the operator console: named operators with a role, and the audit log of what they did.
 * An operator's `name` and an audit entry's `actor` are personal (encrypting-store.ts seals them); the ids
 * are not, so the log can be filtered and grouped by operator without opening anything.
 */

import type { OperatorRole } from '../config/operators.js';
import type { ReviewStatus } from './records.js';

export { OPERATOR_ROLES, type OperatorRole } from '../config/operators.js';

export interface OperatorRecord {
  /** `op_…`, or `admin` for the break-glass operator of IDV_ADMIN_TOKEN (never stored). */
  id: string;
  name: string;
  role: OperatorRole;
  createdAt: number;
}

export interface NewOperator extends OperatorRecord {
  /** SHA-256 of the token, hex: the token itself is printed once and never stored. */
  tokenHash: string;
}

/** What an audit entry records: decisions, reveals of personal data, replays (and, later, erasures). */
export type AuditAction =
  | 'review.approve'
  | 'review.reject'
  | 'review.retry'
  | 'review.claim'
  | 'review.release'
  | 'review.reveal'
  | 'review.file'
  | 'event.replay'
  | 'events.replay_dead'
  | 'reaction.replay'
  | 'reactions.replay_dead'
  | (string & {});

export interface ReviewQueueQuery {
  status?: ReviewStatus | undefined;
  /** An operator id: their cases; null: unassigned cases; undefined: all. */
  ownerId?: string | null | undefined;
  limit: number;
  /** Id of the last case of the previous page. */
  startingAfter?: string | undefined;
}

/** `claimed`; `held` by another operator; `not_open` (decided, superseded or unknown). */
export type ClaimResult = 'claimed' | 'held' | 'not_open';

export interface ListSubjectsQuery {
  state?: string | undefined;
  /** The failure code of the subject's current cause (`last_error.code`). */
  code?: string | undefined;
  /** Part of the ref. */
  q?: string | undefined;
  /** A failure code met in any submission of any of the subject's sessions. */
  everCode?: string | undefined;
  /** First recorded in [from, to) (ms): the cohort of the stats figures. */
  from?: number | undefined;
  to?: number | undefined;
  /** Whose history shows a submission (the stats funnel's `submitted`). */
  submitted?: boolean | undefined;
  limit: number;
  /** Ref of the last subject of the previous page (most recently updated first). */
  startingAfter?: string | undefined;
}

/** One line of the subjects list: nothing personal. */
export interface SubjectSummary {
  ref: string;
  state: string;
  attempts: { used: number; max: number; left: number };
  lastErrorCode: string | null;
  updatedAt: number;
}
