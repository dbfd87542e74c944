/**
 * What an applied event does to a session's expectation (expected data the app gave at session create):
 *
 * - The session becomes `verified` while its comparison is pending: with a Stripe key the worker plans a
 *   `compare_outputs` reaction (the dispatcher fetches the verified outputs and compares, compare-outputs.ts)
 *   and the subject stays `processing` meanwhile; without a key nothing can be fetched, so the comparison is
 *   `not_checked`, the expected data purged, and the subject verified as without expected data.
 * - The session is redacted: its expected data and kept outputs are purged; a comparison still pending
 *   can no longer read anything (`unavailable`, reason `redacted`).
 * - The event names a Connect account: kept on the expectation, so the fetch goes to that account.
 */
import {
  idempotencyKey,
  type PlannedReaction,
  type SessionEvent,
  type SessionMatch,
  type SessionRecord,
} from '../domain/index.js';
import type { ExpectationWrite, StoredExpectation } from '../store/store.js';

export interface ExpectationStep {
  /** The comparison as it stands after the event, when the event changed it. */
  matches: Record<string, SessionMatch>;
  writes: ExpectationWrite[];
  reactions: PlannedReaction[];
}

export function expectationStep(input: {
  expectation: StoredExpectation | undefined;
  ref: string;
  record: SessionRecord;
  redactedNow: boolean;
  ev: SessionEvent;
  compareOutputs: boolean;
  now: number;
}): ExpectationStep {
  const { expectation, ref, record, ev, now } = input;
  const none: ExpectationStep = { matches: {}, writes: [], reactions: [] };
  if (!expectation) return none;
  const pending = expectation.match.status === 'pending';
  const account = ev.account && ev.account !== expectation.account ? { account: ev.account } : {};
  const base = { sessionId: record.id, subjectRef: expectation.subjectRef, ...account };
  if (input.redactedNow) {
    const match: SessionMatch = pending ? unreadable(now, 'redacted') : expectation.match;
    return {
      matches: pending ? { [record.id]: match } : {},
      writes: [{ ...base, match, expected: null, verified: null }],
      reactions: [],
    };
  }
  if (!pending || record.status !== 'verified') {
    return Object.keys(account).length > 0
      ? { ...none, writes: [{ ...base, match: expectation.match }] }
      : none;
  }
  if (!input.compareOutputs) {
    const match: SessionMatch = {
      status: 'not_checked',
      fields: null,
      checkedAt: now,
      reason: 'no_stripe_key',
    };
    return { matches: { [record.id]: match }, writes: [{ ...base, match, expected: null }], reactions: [] };
  }
  return {
    matches: {},
    writes: Object.keys(account).length > 0 ? [{ ...base, match: expectation.match }] : [],
    reactions: [compareReaction(ref, record.id, ev.eventId)],
  };
}

function unreadable(now: number, reason: string): SessionMatch {
  return {
    status: 'unavailable',
    fields: { name: 'unavailable', dob: 'unavailable', min_age: 'unavailable', country: 'unavailable' },
    checkedAt: now,
    reason,
  };
}

/** One per verified session: the key is the same whichever event (or duplicate) planned it. */
export function compareReaction(ref: string, sessionId: string, eventId: string | null): PlannedReaction {
  return {
    kind: 'compare_outputs',
    topic: 'verified_outputs',
    idempotencyKey: idempotencyKey(ref, 'compare_outputs', 'verified_outputs', `verified:${sessionId}`),
    subjectRef: ref,
    sessionId,
    state: 'processing',
    lastError: null,
    category: null,
    eventId,
  };
}
