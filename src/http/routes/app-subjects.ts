/** App API: GET /v1/subjects/:ref — a user's verification state as DESIGN.md "Interfaces" specifies it. */
import type { FastifyInstance } from 'fastify';
import type { Policy } from '../../domain/index.js';
import type { ReviewRecord, SubjectDetail, SubjectsAndReviews } from '../../store/store.js';
import { readSubjectRef } from '../input-guard.js';

const iso = (ms: number) => new Date(ms).toISOString();

type SubjectDeps = { store: Pick<SubjectsAndReviews, 'getSubject'>; policy: Policy };

export async function appSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  app.get('/v1/subjects/:ref', subjectHandler(deps));
}

/** The same view for operators, behind the admin token. */
export async function adminSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  app.get('/admin/api/subjects/:ref', subjectHandler(deps));
}

function subjectHandler(deps: SubjectDeps) {
  return async (request: { params: unknown }) => {
    const ref = readSubjectRef(request.params);
    const detail = await deps.store.getSubject(ref);
    // A user idv has never heard of is simply unverified, with every attempt left.
    return detail ? presentSubject(detail) : unverified(ref, deps.policy.maxAttempts);
  };
}

export function presentSubject(detail: SubjectDetail) {
  const { view } = detail.subject;
  return {
    ref: view.ref,
    state: view.state,
    attempts: view.attempts,
    sessions: detail.sessions
      .flatMap((s) => (s.record ? [s.record] : []))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1))
      .map((s) => ({ id: s.id, status: s.status, last_error: s.lastError, created: iso(s.created * 1000) })),
    review: detail.openReview ? presentReview(detail.openReview) : null,
    history: detail.history.map((h) => ({
      at: iso(h.at),
      from: h.from,
      to: h.to,
      event_id: h.eventId,
      reason: h.reason,
      decision: h.decision,
      ...(h.actor ? { actor: h.actor } : {}),
    })),
  };
}

export function presentReview(review: ReviewRecord) {
  return {
    id: review.id,
    subject: review.subjectRef,
    status: review.status,
    topic: review.topic,
    reason: review.reason,
    session_id: review.sessionId,
    opened_at: iso(review.openedAt),
    decided_at: review.decidedAt === null ? null : iso(review.decidedAt),
    note: review.note,
    actor: review.actor,
  };
}

function unverified(ref: string, max: number) {
  return {
    ref,
    state: 'unverified',
    attempts: { used: 0, max, left: max },
    sessions: [],
    review: null,
    history: [],
  };
}
