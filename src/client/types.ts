/**
 * The answers of idv's HTTP API as TypeScript types: the same shapes as the components of /openapi.json
 * (src/http/openapi/components.ts); test/integration/openapi.test.ts checks this client's answers against
 * that document. Times are ISO 8601 strings.
 */

export type SubjectState =
  | 'unverified'
  | 'pending'
  | 'processing'
  | 'retry_required'
  | 'in_review'
  | 'verified'
  | 'rejected'
  | 'canceled';

export interface Attempts {
  used: number;
  max: number;
  left: number;
}

export interface Review {
  id: string;
  subject: string;
  status: 'open' | 'approved' | 'rejected' | 'superseded' | 'retry_granted';
  topic: string;
  reason: string;
  session_id: string | null;
  opened_at: string;
  decided_at: string | null;
  note: string | null;
  actor: string | null;
}

export interface Subject {
  ref: string;
  account?: string;
  state: SubjectState;
  attempts: Attempts;
  match: {
    status: string;
    fields: Record<string, string> | null;
    checked_at: string | null;
    reason?: string;
  } | null;
  sessions: {
    id: string;
    status: string;
    last_error: { code: string; reason?: string } | null;
    created: string;
  }[];
  review: Review | null;
  history: {
    at: string;
    from: string | null;
    to: string;
    event_id: string | null;
    reason: string | null;
    decision: string | null;
    actor?: string;
  }[];
}

export interface OpenSessionRequest {
  /** Where the outcome emails go. */
  email?: string;
  type?: 'document' | 'id_number';
  options?: Record<string, unknown>;
  /** Data to compare with the verified outputs (the service needs an encryption key). */
  expected?: Record<string, unknown>;
  /** A Connect account (acct_…). */
  account?: string;
  [field: string]: unknown;
}

export interface SessionOpened {
  session_id: string;
  url: string | null;
  client_secret: string | null;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export interface StoredEvent {
  id: string;
  type: string;
  status: 'pending' | 'processed' | 'ignored' | 'failed' | 'dead';
  attempts: number;
  received_at: string;
  processed_at: string | null;
  last_error: string | null;
  ignored_reason: string | null;
  session: string | null;
  subject: string | null;
}

export interface StoredEventDetail extends StoredEvent {
  /** The event as received, every personal value `•••`. */
  payload: Record<string, unknown> | null;
}

export interface Case extends Review {
  owner: { id: string; name: string | null } | null;
  claimed_at: string | null;
}

export interface CaseDetail extends Case {
  evidence: Record<string, unknown>;
  verified_match?: Record<string, unknown>;
}

export type Decision = 'approve' | 'reject' | 'retry';

export interface Reaction {
  id: number;
  kind: string;
  topic: string;
  status: 'pending' | 'done' | 'skipped' | 'failed' | 'dead';
  attempts: number;
  subject: string | null;
  session_id: string | null;
  event_id: string | null;
  idempotency_key: string;
  next_attempt_at: string | null;
  last_error: string | null;
  result: unknown;
  created_at: string;
  completed_at: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  actor_id: string;
  action: string;
  subject: string | null;
  target: string | null;
}

export interface SubjectSummary {
  ref: string;
  state: SubjectState;
  attempts: Attempts;
  last_error_code: string | null;
  updated_at: string;
}

export interface UnlinkedSession {
  id: string;
  status: string | null;
  last_error: Record<string, unknown> | null;
  created: string | null;
  livemode: boolean | null;
}

export interface TimelineEntry {
  at: string;
  kind: 'session' | 'event' | 'state' | 'review' | 'reaction' | 'audit';
  [field: string]: unknown;
}

/** Query parameters of the lists; `limit` and `starting_after` page them. */
export interface Paging {
  limit?: number;
  starting_after?: string | number;
}
