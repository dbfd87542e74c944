/**
 * The body of a callback to the application (DESIGN.md "Callbacks to the app"):
 * `{ id, type, created, subject: {ref, state, account?}, session_id, last_error, match? }`.
 *
 * `id` is derived from the outbox row's idempotency key, not from the row number: it is the same on every
 * retry and replay of the row, and stays the same if the row is ever rebuilt from the same cause, so the
 * application can dedupe on it (it is also sent as `Idempotency-Key`).
 */
import { createHash } from 'node:crypto';
import { splitSubjectKey, type CallbackType, type LastError, type SubjectState } from '../../domain/index.js';
import type { OutboxRecord } from '../../store/records.js';

export interface CallbackPayload {
  id: string;
  type: CallbackType;
  /** When idv decided it (the outbox row was written), Unix seconds. */
  created: number;
  /** `account`: the Connect account of the subject, only for a connected account's subject. */
  subject: { ref: string; state: SubjectState | null; account?: string } | null;
  session_id: string | null;
  last_error: LastError | null;
  /** The comparison with the app's `expected` data (no personal values), only when it expected any. */
  match?: { status: string; fields: Readonly<Record<string, string>> | null };
}

export function callbackId(idempotencyKey: string): string {
  return `cb_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

export function buildCallbackPayload(row: OutboxRecord): CallbackPayload {
  const { reaction } = row;
  return {
    id: callbackId(row.idempotencyKey),
    type: row.topic as CallbackType,
    created: Math.floor(row.createdAt / 1000),
    subject: reaction.subjectRef === null ? null : subjectOf(reaction.subjectRef, reaction.state),
    session_id: reaction.sessionId,
    last_error: reaction.lastError,
    ...(reaction.match ? { match: reaction.match } : {}),
  };
}

function subjectOf(key: string, state: SubjectState | null): NonNullable<CallbackPayload['subject']> {
  const { account, ref } = splitSubjectKey(key);
  return account ? { ref, state, account } : { ref, state };
}
