/**
 * The body of a callback to the application (DESIGN.md "Callbacks to the app"):
 * `{ id, type, created, subject: {ref, state}, session_id, last_error }`.
 *
 * `id` is derived from the outbox row's idempotency key, not from the row number: it is the same on every
 * retry and replay of the row, and stays the same if the row is ever rebuilt from the same cause, so the
 * application can dedupe on it (it is also sent as `Idempotency-Key`).
 */
import { createHash } from 'node:crypto';
import type { CallbackType, LastError, SubjectState } from '../../domain/index.js';
import type { OutboxRecord } from '../../store/records.js';

export interface CallbackPayload {
  id: string;
  type: CallbackType;
  /** When idv decided it (the outbox row was written), Unix seconds. */
  created: number;
  subject: { ref: string; state: SubjectState | null } | null;
  session_id: string | null;
  last_error: LastError | null;
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
    subject: reaction.subjectRef === null ? null : { ref: reaction.subjectRef, state: reaction.state },
    session_id: reaction.sessionId,
    last_error: reaction.lastError,
  };
}
