/**
 * How one stored event changes the world, as the two pure callbacks the store runs inside its transaction
 * (store/records.ts EventApplication): fold the event into its session, re-derive the subject from all of
 * its sessions, and keep what that step planned.
 */
import {
  applySessionEvent,
  planSessionReactions,
  resolveSubjectRef,
  type Policy,
  type SessionEvent,
} from '../domain/index.js';
import type { EventApplication, SubjectChange } from '../store/records.js';
import { redactPayload } from '../stripe/redact-payload.js';
import { sessionRecords, stepFromSnapshot, subjectChange, unlinkedChange } from './subject-change.js';
import { expectationStep } from './expectation-steps.js';

export interface EventOptions {
  /** A Stripe key is configured: a verified session with expected data has its outputs compared. */
  compareOutputs?: boolean;
}

/** `now`: milliseconds since the epoch. */
export function eventApplication(
  ev: SessionEvent,
  policy: Policy,
  now: number,
  options: EventOptions = {},
): EventApplication {
  return {
    resolveSubject: (stored) => resolveSubjectRef(stored?.subjectRef ?? null, ev),

    decide(stored, snapshot): SubjectChange {
      const ref = resolveSubjectRef(stored?.subjectRef ?? null, ev);
      const before = stored?.record ?? null;
      const { record } = applySessionEvent(before, ev, ref);
      const session = { id: record.id, subjectRef: ref, record };

      if (ref === null || snapshot === null) {
        const change = unlinkedChange(session, planSessionReactions(before, record, { eventId: ev.eventId }));
        return record.redacted ? { ...change, rewritePayloads: redactedPayloads(record.id) } : change;
      }

      const manualDecision = snapshot.subject?.manualDecision ?? null;
      const expectations = expectationStep({
        expectation: snapshot.expectations?.find((e) => e.sessionId === record.id),
        ref,
        record,
        redactedNow: record.redacted && before?.redacted !== true,
        ev,
        compareOutputs: options.compareOutputs === true,
        now,
      });
      const step = stepFromSnapshot({
        ref,
        snapshot,
        sessions: sessionRecords(snapshot, record),
        manualDecision,
        policy,
        eventId: ev.eventId,
        now,
        matches: expectations.matches,
      });
      // Redaction purges the personal data idv keeps for the subject (DESIGN.md "Privacy"); otherwise the
      // app's address wins and Stripe's provided_details.email only fills a gap.
      // An erased subject keeps nothing personal, whatever Stripe sends later.
      const erased = snapshot.subject?.erasedAt != null;
      const redactedNow = record.redacted && before?.redacted !== true;
      const email = redactedNow
        ? null
        : snapshot.subject?.email || erased
          ? undefined
          : (ev.session.email ?? undefined);
      const change = subjectChange({
        ref,
        snapshot,
        step,
        manualDecision,
        now,
        sessions: [session],
        reactions: [
          ...planSessionReactions(before, record, { eventId: ev.eventId, subjectState: step.view.state }),
          ...expectations.reactions,
        ],
        email,
        expectations: expectations.writes,
      });
      return record.redacted || erased ? { ...change, rewritePayloads: redactedPayloads(record.id) } : change;
    },
  };
}

/**
 * Every event of a redacted session loses its personal fields in the transaction that applies an event of
 * it — the `redacted` event itself, and any event of the session that arrives after it.
 */
function redactedPayloads(sessionId: string): NonNullable<SubjectChange['rewritePayloads']> {
  return { sessionIds: [sessionId], rewrite: redactPayload };
}
