/**
 * Row shapes of both adapters and their mapping to records, in one place. The drivers differ only in how
 * they hand back booleans and JSON: `pg` gives booleans and parsed json, better-sqlite3 gives 0/1 and text.
 */
import type {
  EventRecord,
  EventStatus,
  OutboxRecord,
  OutboxStatus,
  AuditRecord,
  ReviewRecord,
  StoredSession,
  StoredSubject,
} from './records.js';

export interface EventRow {
  id: string;
  type: string;
  livemode: boolean | number;
  created: number;
  object_id: string | null;
  status: EventStatus;
  ignored_reason: string | null;
  attempts: number;
  received_at: number;
  processed_at: number | null;
  last_error: string | null;
  payload?: string;
  subject_ref?: string | null;
}

export const EVENT_COLUMNS =
  'id, type, livemode, created, object_id, status, ignored_reason, attempts, received_at, processed_at, last_error';

/** EVENT_COLUMNS with the subject of the event's session, for the operators' reads. */
export const LISTED_EVENT_COLUMNS = `${EVENT_COLUMNS},
  (SELECT subject_ref FROM sessions WHERE sessions.id = events.object_id) AS subject_ref`;

export function toEventRecord(row: EventRow): EventRecord {
  return {
    ...(row.subject_ref === undefined ? {} : { subjectRef: row.subject_ref }),
    id: row.id,
    type: row.type,
    livemode: row.livemode === true || row.livemode === 1,
    created: row.created,
    objectId: row.object_id,
    status: row.status,
    ignoredReason: row.ignored_reason,
    attempts: row.attempts,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
    lastError: row.last_error,
  };
}

export interface SessionRow {
  id: string;
  subject_ref: string | null;
  record: StoredSession['record'] | string;
}

export function toStoredSession(row: SessionRow): StoredSession {
  return { id: row.id, subjectRef: row.subject_ref, record: fromJson(row.record) };
}

export interface SubjectRow {
  ref: string;
  view: StoredSubject['view'] | string;
  manual_decision: StoredSubject['manualDecision'] | string;
  announcements: StoredSubject['announcements'] | string;
  email: string | null;
  created_at: number;
  updated_at: number;
  erased_at: number | null;
  first_submitted_at: number | null;
  verified_at: number | null;
  attempts_used: number | null;
  attempts_left: number | null;
}

export const SUBJECT_COLUMNS =
  'ref, view, manual_decision, announcements, email, created_at, updated_at, erased_at, ' +
  'first_submitted_at, verified_at, attempts_used, attempts_left';

export function toStoredSubject(row: SubjectRow): StoredSubject {
  return {
    ref: row.ref,
    view: fromJson(row.view),
    manualDecision: fromJson(row.manual_decision),
    announcements: fromJson(row.announcements),
    email: row.email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    erasedAt: row.erased_at,
    facts: {
      firstSubmittedAt: row.first_submitted_at,
      verifiedAt: row.verified_at,
      attemptsUsed: row.attempts_used,
      attemptsLeft: row.attempts_left,
    },
  };
}

export interface ReviewRow {
  id: string;
  subject_ref: string;
  status: ReviewRecord['status'];
  topic: string;
  reason: string;
  session_id: string | null;
  opened_at: number;
  decided_at: number | null;
  note: string | null;
  actor: string | null;
  owner_id?: string | null;
  owner?: string | null;
  claimed_at?: number | null;
}

export function toReview(row: ReviewRow): ReviewRecord {
  return {
    id: row.id,
    subjectRef: row.subject_ref,
    status: row.status,
    topic: row.topic,
    reason: row.reason,
    sessionId: row.session_id,
    openedAt: row.opened_at,
    decidedAt: row.decided_at,
    note: row.note,
    actor: row.actor,
    ownerId: row.owner_id ?? null,
    owner: row.owner ?? null,
    claimedAt: row.claimed_at == null ? null : Number(row.claimed_at),
  };
}

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  kind: string;
  topic: string;
  subject_ref: string | null;
  session_id: string | null;
  payload: OutboxRecord['reaction'] | string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  result: string | null;
  created_at: number;
  completed_at: number | null;
}

export const OUTBOX_COLUMNS =
  'id, idempotency_key, kind, topic, subject_ref, session_id, payload, status, attempts, next_attempt_at, last_error, result, created_at, completed_at';

export function toOutboxRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    topic: row.topic,
    subjectRef: row.subject_ref,
    sessionId: row.session_id,
    reaction: fromJson(row.payload),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    result: row.result,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

/** bigint columns come back as strings from pg, numbers from better-sqlite3. */
export interface AuditRow {
  id: number | string;
  at: number | string;
  actor: string;
  actor_id: string;
  action: string;
  subject_ref: string | null;
  target: string | null;
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    actorId: row.actor_id,
    action: row.action,
    subjectRef: row.subject_ref,
    target: row.target,
  };
}

/** better-sqlite3 returns JSON columns as text; pg has parsed them already. */
function fromJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
