/**
 * POST /admin/api/reviews/:id/reveal (role reviewer): the personal data of a case's session, read live from
 * Stripe, audited before it is shown, never stored, `Cache-Control: no-store` (http/evidence.ts). When the
 * app gave expected data, `side_by_side` puts it next to the verified values (outcomes/review-match.ts) —
 * the one door to personal data of a case, so reading a case (GET) reveals nothing. If Stripe no longer
 * gives the outputs but idv kept them (IDV_KEEP_VERIFIED_OUTPUTS), the side-by-side is still answered,
 * with `outputs_error` saying why the rest is missing.
 *
 * GET /admin/api/reviews/:id/files/:file (role reviewer): one document or selfie image of the case's report,
 * streamed from Stripe's File API (never stored), audited as `review.file`, served from idv's origin so the
 * console keeps `img-src 'self'`; its own CSP forbids everything, as the image needs nothing.
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import type { AuditLog, SubjectsAndReviews } from '../../store/store.js';
import { reviewMatchOf } from '../../outcomes/review-match.js';
import { recordAudit } from '../audit.js';
import { caseFile, revealOutputs, type EvidenceDeps } from '../evidence.js';
import { routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const DOCS = {
  reveal: routeSchema({
    summary: "Read a case's personal data live from Stripe (reviewer; audited, never stored)",
    tag: 'admin',
    params: { id: str() },
    answers: { 200: 'Reveal' },
    errors: [404, 409, 502, 503],
  }),
  file: routeSchema({
    summary: "One document or selfie image of a case's report, streamed (reviewer; audited)",
    tag: 'admin',
    params: { id: str(), file: str('document_front, document_back, document_face or selfie.') },
    answers: {
      200: {
        description: 'The image.',
        schema: { type: 'string', contentMediaType: 'image/*' },
        contentType: 'image/*',
      },
    },
    errors: [404, 409, 502, 503],
  }),
};

export interface RevealDeps extends EvidenceDeps {
  store: EvidenceDeps['store'] &
    Pick<SubjectsAndReviews, 'getReview' | 'getExpectation'> &
    Pick<AuditLog, 'recordAudit'>;
}

export async function adminReviewRevealRoutes(app: FastifyInstance, deps: RevealDeps): Promise<void> {
  app.post(
    '/admin/api/reviews/:id/reveal',
    { config: { role: 'reviewer' }, schema: DOCS.reveal },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const review = await deps.store.getReview(id);
      if (!review) throw new IdvError('not_found', `No review ${id}.`);
      const match = await reviewMatchOf(deps, review, true);
      const sideBySide = match?.side_by_side ?? null;
      let revealed: Record<string, unknown>;
      try {
        revealed = await revealOutputs(deps, review);
      } catch (err) {
        if (sideBySide === null || !(err instanceof IdvError) || err.code !== 'outputs_unavailable')
          throw err;
        revealed = { session_id: review.sessionId, outputs_error: err.message };
      }
      // Recorded before anything is shown: a reveal that is not in the log must not happen.
      await recordAudit(
        deps.store,
        request,
        { action: 'review.reveal', subjectRef: review.subjectRef, target: id },
        deps.clock(),
      );
      reply.header('cache-control', 'no-store');
      return match ? { ...revealed, side_by_side: sideBySide } : revealed;
    },
  );

  app.get(
    '/admin/api/reviews/:id/files/:file',
    { config: { role: 'reviewer' }, schema: DOCS.file },
    async (request, reply) => {
      const { id, file } = request.params as { id: string; file: string };
      const review = await deps.store.getReview(id);
      if (!review) throw new IdvError('not_found', `No review ${id}.`);
      const contents = await caseFile(deps, review, file);
      await recordAudit(
        deps.store,
        request,
        { action: 'review.file', subjectRef: review.subjectRef, target: `${id}/${file}` },
        deps.clock(),
      );
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', contents.contentType)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(contents.body);
    },
  );
}
