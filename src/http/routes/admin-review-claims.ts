/**
 * Owners of review cases: POST /admin/api/reviews/:id/claim takes an open case for the signed-in reviewer
 * (the queue shows it as theirs; others see who holds it and cannot decide it: 409 `case_claimed`), and
 * POST /admin/api/reviews/:id/release lets it go — a reviewer their own, an admin anyone's. Both audited.
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import type { AuditLog, ReviewQueue, SubjectsAndReviews } from '../../store/store.js';
import { recordAudit } from '../audit.js';
import { actorName, hasRole, operatorOf } from '../operators.js';
import { caseClaimed, presentCase } from './admin-reviews.js';
import { routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const DOCS = {
  claim: routeSchema({
    summary: 'Take a case: it shows as yours in the queue (reviewer; audited)',
    tag: 'admin',
    params: { id: str() },
    answers: { 200: 'Case' },
    errors: [404, 409],
  }),
  release: routeSchema({
    summary: "Let a case go (reviewer for their own, admin for anyone's; audited)",
    tag: 'admin',
    params: { id: str() },
    answers: { 200: 'Case' },
    errors: [404, 409],
  }),
};

export interface ReviewClaimDeps {
  store: Pick<ReviewQueue, 'claimReview' | 'releaseReview'> &
    Pick<SubjectsAndReviews, 'getReview'> &
    Pick<AuditLog, 'recordAudit'>;
  clock: () => number;
}

export async function adminReviewClaimRoutes(app: FastifyInstance, deps: ReviewClaimDeps) {
  app.post(
    '/admin/api/reviews/:id/claim',
    { config: { role: 'reviewer' }, schema: DOCS.claim },
    async (request) => {
      const { id } = request.params as { id: string };
      const operator = operatorOf(request);
      const now = deps.clock();
      const result = await deps.store.claimReview(id, { id: operator.id, name: actorName(request) }, now);
      const review = await deps.store.getReview(id);
      if (!review) throw new IdvError('not_found', `No review ${id}.`);
      if (result === 'held') throw caseClaimed(review);
      if (result === 'not_open') throw new IdvError('conflict', `Review ${id} is ${review.status}.`);
      await recordAudit(
        deps.store,
        request,
        { action: 'review.claim', subjectRef: review.subjectRef, target: id },
        now,
      );
      return presentCase(review);
    },
  );

  app.post(
    '/admin/api/reviews/:id/release',
    { config: { role: 'reviewer' }, schema: DOCS.release },
    async (request) => {
      const { id } = request.params as { id: string };
      const operator = operatorOf(request);
      // An admin may free a case someone left holding; a reviewer lets go only of their own.
      const released = await deps.store.releaseReview(id, hasRole(operator, 'admin') ? null : operator.id);
      const review = await deps.store.getReview(id);
      if (!review) throw new IdvError('not_found', `No review ${id}.`);
      if (!released && review.ownerId) throw caseClaimed(review);
      if (released) {
        const action = { action: 'review.release', subjectRef: review.subjectRef, target: id };
        await recordAudit(deps.store, request, action, deps.clock());
      }
      return presentCase(review);
    },
  );
}
