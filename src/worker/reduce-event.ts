/**
 * How one stored event changes the world, as the two pure callbacks the store runs inside its transaction
 * (store/records.ts EventApplication). It only composes the domain: fold the event into its session,
 * re-derive the subject from all of its sessions, and keep what that step planned.
 */
import {
  applySessionEvent,
  planSessionReactions,
  resolveSubjectRef,
  stepSubject,
  type Policy,
  type SessionEvent,
} from '../domain/index.js';
import type { EventApplication, SubjectChange } from '../store/records.js';

export function eventApplication(ev: SessionEvent, policy: Policy, nowSec: number): EventApplication {
  return {
    resolveSubject: (stored) => resolveSubjectRef(stored?.subjectRef ?? null, ev),

    decide(stored, snapshot): SubjectChange {
      const ref = resolveSubjectRef(stored?.subjectRef ?? null, ev);
      const before = stored?.record ?? null;
      const { record } = applySessionEvent(before, ev, ref);
      const session = { id: record.id, subjectRef: ref, record };

      if (ref === null || snapshot === null) {
        // Unlinked: the session is kept (and listed for operators); no subject to derive.
        return {
          sessions: [session],
          subject: null,
          history: [],
          reactions: planSessionReactions(before, record, { eventId: ev.eventId }),
        };
      }

      const records = snapshot.sessions
        .filter((s) => s.id !== record.id)
        .flatMap((s) => (s.record ? [s.record] : []))
        .concat(record);
      const manualDecision = snapshot.subject?.manualDecision ?? null;
      const step = stepSubject({
        ref,
        sessions: records,
        policy,
        manualDecision,
        before: snapshot.subject?.view ?? null,
        ...(snapshot.subject?.announcements ? { announcements: snapshot.subject.announcements } : {}),
        eventId: ev.eventId,
        now: nowSec,
      });
      // Redaction purges the personal data idv keeps for the subject (DESIGN.md "Privacy"); otherwise the
      // app's address wins and Stripe's provided_details.email only fills a gap.
      const redactedNow = record.redacted && before?.redacted !== true;
      const email = redactedNow
        ? null
        : snapshot.subject?.email
          ? undefined
          : (ev.session.email ?? undefined);
      return {
        sessions: [session],
        subject: {
          ref,
          view: step.view,
          manualDecision,
          announcements: step.announcements,
          ...(email !== undefined ? { email } : {}),
        },
        history: step.history ? [step.history] : [],
        reactions: [
          ...step.reactions,
          ...planSessionReactions(before, record, { eventId: ev.eventId, subjectState: step.view.state }),
        ],
      };
    },
  };
}
