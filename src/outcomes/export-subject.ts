/**
 * Access (`GET /v1/subjects/:ref/export`): everything idv holds about one user, as one JSON document —
 * the subject with its email and manual decision, its sessions, history, expected data and kept verified
 * outputs with the comparison, review cases with their notes,
 * emails and callbacks, the stored Stripe events of its sessions, and the audit log about it. Audited
 * itself: an export is a disclosure of personal data.
 */
import { IdvError } from '../errors.js';
import type { AdminQueries, AuditLog, SubjectsAndReviews } from '../store/store.js';
import type { Actor } from './erase-subject.js';

type ExportStore = Pick<SubjectsAndReviews, 'getSubject' | 'getExpectation'> &
  Pick<AdminQueries, 'listReviews' | 'listReactions' | 'listSessionEvents'> &
  AuditLog;

const iso = (ms: number) => new Date(ms).toISOString();

export async function exportSubject(
  deps: { store: ExportStore; clock: () => number },
  ref: string,
  actor: Actor,
): Promise<Record<string, unknown>> {
  const { store } = deps;
  const detail = await store.getSubject(ref);
  if (!detail) throw new IdvError('not_found', `No subject ${ref}.`);
  if (detail.subject.erasedAt !== null) throw erasedError(ref, detail.subject.erasedAt);
  const now = deps.clock();
  await store.recordAudit({
    at: now,
    actor: actor.name,
    actorId: actor.id,
    action: 'subject.export',
    subjectRef: ref,
    target: null,
  });
  const sessionIds = detail.sessions.map((s) => s.id);
  const [expectations, reviews, reactions, events, audit] = await Promise.all([
    Promise.all((detail.expectations ?? []).map((e) => store.getExpectation(e.sessionId))),
    store.listReviews({ subjectRef: ref, limit: 1000 }),
    store.listReactions({ subjectRef: ref, limit: 10_000 }),
    store.listSessionEvents(sessionIds),
    store.listAudit({ subjectRef: ref, limit: 1000 }),
  ]);
  return {
    ref,
    exported_at: iso(now),
    subject: {
      state: detail.subject.view.state,
      attempts: detail.subject.view.attempts,
      email: detail.subject.email,
      manual_decision: detail.subject.manualDecision,
      created_at: iso(detail.subject.createdAt),
      updated_at: iso(detail.subject.updatedAt),
    },
    sessions: detail.sessions.map((s) => ({ id: s.id, record: s.record })),
    history: detail.history.map((h) => ({ ...h, at: iso(h.at) })),
    // The app's expected data (while still kept), the comparison, and verified outputs if kept.
    expectations: expectations.flatMap((e) =>
      e
        ? [
            {
              session_id: e.sessionId,
              account: e.account,
              match: e.match,
              expected: e.expected === null ? null : parsed(e.expected),
              verified_outputs: e.verified === null ? null : parsed(e.verified),
            },
          ]
        : [],
    ),
    reviews,
    reactions: reactions.map((r) => ({
      id: r.id,
      kind: r.kind,
      topic: r.topic,
      status: r.status,
      attempts: r.attempts,
      result: r.result,
      created_at: iso(r.createdAt),
    })),
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      received_at: iso(e.receivedAt),
      payload: parsed(e.payload),
    })),
    audit: audit.data.map((a) => ({ at: iso(a.at), actor: a.actor, action: a.action, target: a.target })),
  };
}

export function erasedError(ref: string, erasedAt: number): IdvError {
  return new IdvError(
    'subject_erased',
    `Subject ${ref} was erased on ${iso(erasedAt)}; idv keeps nothing about it.`,
  );
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
