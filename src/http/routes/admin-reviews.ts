/**
 * Admin review queue: GET /admin/api/reviews?status=&limit=, GET /admin/api/reviews/:id and
 * POST /admin/api/reviews/:id/decision `{ decision: "approve"|"reject", note }` → the decided case (role
 * reviewer). Who decided is the signed-in operator (operators.ts: the break-glass operator may name someone
 * with `Idv-Actor` or a body `actor`); it is kept with the case, in the subject's history and the audit log.
 */
import type { FastifyInstance } from 'fastify';
import { MANUAL_DECISIONS, isOneOf, type Policy } from '../../domain/index.js';
import { IdvError } from '../../errors.js';
import { decideReview } from '../../outcomes/decide-review.js';
import { REVIEW_STATUSES, type ReviewStatus } from '../../store/records.js';
import type { AdminQueries, AuditLog, SubjectsAndReviews } from '../../store/store.js';
import { recordAudit } from '../audit.js';
import { actorName } from '../operators.js';
import { presentReview } from './app-subjects.js';

export interface AdminReviewDeps {
  store: Pick<AdminQueries, 'listReviews'> &
    Pick<SubjectsAndReviews, 'getReview' | 'updateSubject'> &
    Pick<AuditLog, 'appendAudit'>;
  policy: Policy;
  clock: () => number;
  /** New reactions were planned (wakes an in-process dispatcher). */
  onReactionsQueued?: (() => void) | undefined;
}

export async function adminReviewRoutes(app: FastifyInstance, deps: AdminReviewDeps) {
  app.get('/admin/api/reviews', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const status = query.status === undefined || query.status === '' ? undefined : query.status;
    if (status !== undefined && !isOneOf(REVIEW_STATUSES, status)) {
      throw new IdvError('invalid_request', `status must be one of ${REVIEW_STATUSES.join(', ')}.`, {
        param: 'status',
      });
    }
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new IdvError('invalid_request', 'limit must be a whole number from 1 to 100.', {
        param: 'limit',
      });
    }
    const reviews = await deps.store.listReviews({
      status: status as ReviewStatus | undefined,
      limit: limit + 1,
    });
    return { data: reviews.slice(0, limit).map(presentReview), has_more: reviews.length > limit };
  });

  app.get('/admin/api/reviews/:id', async (request) => {
    const { id } = request.params as { id: string };
    const review = await deps.store.getReview(id);
    if (!review) throw new IdvError('not_found', `No review ${id}.`);
    return presentReview(review);
  });

  app.post('/admin/api/reviews/:id/decision', { config: { role: 'reviewer' } }, async (request) => {
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
      throw new IdvError('invalid_request', 'note is required: say why, for the record.', { param: 'note' });
    }
    const actor = actorName(request, body.actor);

    const review = await deps.store.getReview(id);
    if (!review) throw new IdvError('not_found', `No review ${id}.`);
    if (review.status !== 'open')
      throw new IdvError('conflict', `Review ${id} was already decided (${review.status}).`);
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
    return presentReview(decided ?? review);
  });
}
