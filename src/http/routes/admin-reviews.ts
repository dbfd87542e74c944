/**
 * Admin review queue: GET /admin/api/reviews?status=&owner=me|none&limit=&starting_after=, GET
 * /admin/api/reviews/:id, POST …/:id/claim and …/:id/release (a reviewer takes a case and lets it go;
 * deciding a case another holds is 409 `case_claimed`), and
 * GET …/:id carries the case's `evidence` (http/evidence.ts; the reveal is admin-review-reveal.ts).
 * POST /admin/api/reviews/:id/decision `{ decision: "approve"|"reject"|"retry", note }` → the decided case
 * (role reviewer). Who decided is the signed-in operator (operators.ts: the break-glass operator may name someone
 * with `Idv-Actor` or a body `actor`); it is kept with the case, in the subject's history and the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MANUAL_DECISIONS, isOneOf, type Policy } from '../../domain/index.js';
import { IdvError } from '../../errors.js';
import { decideReview } from '../../outcomes/decide-review.js';
import { reviewMatchOf } from '../../outcomes/review-match.js';
import type { StripeGateway } from '../../stripe/gateway.js';
import { REVIEW_STATUSES, type ReviewRecord, type ReviewStatus } from '../../store/records.js';
import type { AuditLog, ReportCache, ReviewQueue, SubjectsAndReviews } from '../../store/store.js';
import { recordAudit } from '../audit.js';
import { reviewEvidence } from '../evidence.js';
import { actorName, operatorOf } from '../operators.js';
import { pageLimit, singleParam } from './paging.js';
import { presentReview } from './app-subjects.js';
import { choice, paging, routeSchema } from '../openapi/route-schema.js';
import { ref, str } from '../openapi/json-schema.js';

const DOCS = {
  list: routeSchema({
    summary: 'The review queue, oldest first',
    tag: 'admin',
    query: {
      status: choice(REVIEW_STATUSES),
      owner: choice(['me', 'none'], 'Only the cases I hold, or only unassigned ones.'),
      ...paging(100, 50, 'The id of the last case of the previous page.'),
    },
    answers: { 200: 'CasePage' },
  }),
  one: routeSchema({
    summary: 'One case with its evidence (nothing personal)',
    tag: 'admin',
    params: { id: str() },
    answers: { 200: 'CaseDetail' },
    errors: [404],
  }),
  decide: routeSchema({
    summary: 'Approve, reject or grant another attempt (reviewer; audited)',
    tag: 'admin',
    params: { id: str() },
    body: { schema: ref('Decision'), required: true },
    answers: { 200: 'Case' },
    errors: [404, 409],
  }),
};

export interface AdminReviewDeps {
  store: ReviewQueue &
    ReportCache &
    Pick<SubjectsAndReviews, 'getReview' | 'updateSubject' | 'getSubject' | 'getExpectation'> &
    Pick<AuditLog, 'recordAudit'>;
  policy: Policy;
  clock: () => number;
  /** Reads the session and report for the evidence, and verified outputs for the side-by-side view. */
  stripe?: StripeGateway | undefined;
  /** New reactions were planned (wakes an in-process dispatcher). */
  onReactionsQueued?: (() => void) | undefined;
}

export async function adminReviewRoutes(app: FastifyInstance, deps: AdminReviewDeps) {
  app.get('/admin/api/reviews', { schema: DOCS.list }, async (request) => {
    const query = request.query as Record<string, unknown>;
    // The route schema refused a status or owner outside its list.
    const status = singleParam(query, 'status') as ReviewStatus | undefined;
    const owner = singleParam(query, 'owner') as 'me' | 'none' | undefined;
    const limit = pageLimit(query, 50, 100);
    const page = await deps.store.listReviewQueue({
      status,
      ownerId: owner === undefined ? undefined : owner === 'none' ? null : operatorOf(request).id,
      limit,
      startingAfter: singleParam(query, 'starting_after'),
    });
    return { data: page.data.map(presentCase), has_more: page.hasMore };
  });

  app.get('/admin/api/reviews/:id', { schema: DOCS.one }, (request) => caseDetail(deps, request));

  app.post(
    '/admin/api/reviews/:id/decision',
    { config: { role: 'reviewer' }, schema: DOCS.decide },
    (request) => decide(deps, request),
  );
}

/** POST …/:id/decision: the checks, the change under the subject's lock, the audit line, the answer. */
async function decide(deps: AdminReviewDeps, request: FastifyRequest) {
  const { id } = request.params as { id: string };
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new IdvError('invalid_request', 'The body must be a JSON object.');
  }
  const { decision, note } = body;
  if (!isOneOf(MANUAL_DECISIONS, decision)) {
    throw new IdvError('invalid_request', `decision must be one of ${MANUAL_DECISIONS.join(', ')}.`, {
      param: 'decision',
    });
  }
  if (typeof note !== 'string' || note.trim() === '') {
    throw new IdvError('invalid_request', 'note is required: say why, for the record.', {
      param: 'note',
    });
  }
  const actor = actorName(request, body.actor);

  const review = await deps.store.getReview(id);
  if (!review) throw new IdvError('not_found', `No review ${id}.`);
  if (review.status !== 'open')
    throw new IdvError('conflict', `Review ${id} was already decided (${review.status}).`);
  if (review.ownerId && review.ownerId !== operatorOf(request).id) throw caseClaimed(review);
  const now = deps.clock();
  const result = await deps.store.updateSubject(
    review.subjectRef,
    (snapshot) =>
      decideReview(
        {
          reviewId: id,
          ref: review.subjectRef,
          decision,
          note: note.trim(),
          actor,
          policy: deps.policy,
          now,
        },
        snapshot,
      ),
    now,
  );
  if (result === 'not_open') throw new IdvError('conflict', `Review ${id} was already decided.`);
  await recordAudit(
    deps.store,
    request,
    { action: `review.${decision}`, subjectRef: review.subjectRef, target: id, bodyActor: body.actor },
    now,
  );
  // The actor is often an operator's email address: it is kept in history, not in logs.
  request.log.info({ review_id: id, subject: review.subjectRef, decision }, 'review decided');
  deps.onReactionsQueued?.();
  const decided = await deps.store.getReview(id);
  return presentCase(decided ?? review);
}

/**
 * One case, without personal data: the comparison's result per field, never its values. Those come only
 * from the audited reveal (POST /admin/api/reviews/:id/reveal), so reading a case never reveals anything.
 */
async function caseDetail(deps: AdminReviewDeps, request: FastifyRequest) {
  const { id } = request.params as { id: string };
  const review = await deps.store.getReview(id);
  if (!review) throw new IdvError('not_found', `No review ${id}.`);
  const match = await reviewMatchOf(deps, review, false);
  return {
    ...presentCase(review),
    evidence: await reviewEvidence(deps, review),
    ...(match ? { verified_match: match } : {}),
  };
}

/** A case as operators see it: the app's view plus who holds it. */
export function presentCase(review: ReviewRecord) {
  return {
    ...presentReview(review),
    owner: review.ownerId ? { id: review.ownerId, name: review.owner ?? null } : null,
    claimed_at: review.claimedAt == null ? null : new Date(review.claimedAt).toISOString(),
  };
}

export function caseClaimed(review: ReviewRecord): IdvError {
  return new IdvError('case_claimed', `Review ${review.id} is held by ${review.owner ?? review.ownerId}.`, {
    owner: review.ownerId,
  });
}
