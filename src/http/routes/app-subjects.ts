/**
 * App API: GET /v1/subjects/:ref — a user's verification state as DESIGN.md "Interfaces" specifies it;
 * DELETE /v1/subjects/:ref erases the user, GET /v1/subjects/:ref/export returns everything idv holds about
 * them (both audited). The admin API has the same routes for operators.
 */
import type { FastifyInstance } from 'fastify';
import type { Policy } from '../../domain/index.js';
import { eraseSubject, type Actor } from '../../outcomes/erase-subject.js';
import { erasedError, exportSubject } from '../../outcomes/export-subject.js';
import type { Store, ReviewRecord, SubjectDetail } from '../../store/store.js';
import type { StripeGateway } from '../../stripe/gateway.js';
import { readSubjectRef } from '../input-guard.js';

const iso = (ms: number) => new Date(ms).toISOString();

type SubjectStore = Pick<
  Store,
  | 'getSubject'
  | 'updateSubject'
  | 'listReviews'
  | 'listReactions'
  | 'listSessionEvents'
  | 'recordAudit'
  | 'listAudit'
>;

interface SubjectDeps {
  store: SubjectStore;
  policy: Policy;
  stripe: StripeGateway | undefined;
  clock: () => number;
}

type Request = { params: unknown; headers: Record<string, string | string[] | undefined> };

export async function appSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  subjectRoutes(app, '/v1/subjects/:ref', deps, () => ({ name: 'app', id: 'app' }));
}

/** The same routes for operators, behind the admin token; the actor is the Idv-Actor header, else admin. */
export async function adminSubjectRoutes(app: FastifyInstance, deps: SubjectDeps) {
  subjectRoutes(app, '/admin/api/subjects/:ref', deps, (request) => {
    const header = request.headers['idv-actor'];
    const name = (Array.isArray(header) ? header[0] : header)?.trim().slice(0, 200) || 'admin';
    return { name, id: 'admin' };
  });
}

function subjectRoutes(
  app: FastifyInstance,
  path: string,
  deps: SubjectDeps,
  actorOf: (r: Request) => Actor,
) {
  app.get(path, async (request, reply) => {
    const ref = readSubjectRef(request.params);
    const detail = await deps.store.getSubject(ref);
    if (detail?.subject.erasedAt != null) throw erasedError(ref, detail.subject.erasedAt);
    reply.header('cache-control', 'no-store');
    // A user idv has never heard of is simply unverified, with every attempt left.
    return detail ? presentSubject(detail) : unverified(ref, deps.policy.maxAttempts);
  });
  app.delete(path, async (request) => {
    const ref = readSubjectRef(request.params);
    const result = await eraseSubject(deps, ref, actorOf(request));
    request.log.info({ subject: ref }, 'subject erased');
    return { ref, erased: result.erased };
  });
  app.get(`${path}/export`, async (request, reply) => {
    const ref = readSubjectRef(request.params);
    const document = await exportSubject(deps, ref, actorOf(request));
    return reply.header('cache-control', 'no-store').send(document);
  });
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
