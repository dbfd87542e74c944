/**
 * The hosted verification page at the session `url` (reference §1 `url`, §2.1 "Test mode"): like Stripe's
 * test-mode page, the person picks an outcome instead of showing a document. Submitting acts exactly like
 * the test helpers (a new submission, `processing` then the outcome) and then sends the person to
 * `return_url` (303) or shows "submitted". Which outcomes Stripe's page offers is [unconfirmed] (§12); this
 * one offers Verified and every failure code of §3.1 plus `address_mismatch`.
 */
import { ApiError } from '../api-error.js';
import type { EmulatorContext } from '../context.js';
import { FAILURE_CODES, reasonFor } from '../error-codes.js';
import type { EmulatedSession } from '../model.js';
import { optionalString } from '../params.js';
import { readReportedOutputs } from '../reported-outputs.js';
import type { Reply, Router } from '../router.js';
import { renderMessagePage, renderVerifyPage } from './hosted-page-html.js';

export const VERIFIED_OUTCOME = 'verified';

export function registerHostedPageRoutes(router: Router, ctx: EmulatorContext): void {
  const find = (id: string): EmulatedSession | undefined => ctx.state.sessions.get(id);

  router.add(
    'GET',
    '/verify/:id',
    (request) => {
      const session = find(request.pathParams.id!);
      if (!session)
        return html(404, renderMessagePage('Verification not found', 'This verification link is not valid.'));
      if (session.status !== 'requires_input' || session.redaction !== null) {
        return html(
          200,
          renderMessagePage(
            'Verification closed',
            `This verification is ${session.status} and cannot be submitted.`,
          ),
        );
      }
      return html(200, renderVerifyPage(session, FAILURE_CODES, reasonFor));
    },
    { public: true },
  );

  router.add(
    'POST',
    '/verify/:id',
    (request) => {
      const id = request.pathParams.id!;
      const session = find(id);
      if (!session)
        return html(404, renderMessagePage('Verification not found', 'This verification link is not valid.'));
      const outcome = optionalString(request.params, 'outcome') ?? '';
      if (outcome !== VERIFIED_OUTCOME && !(FAILURE_CODES as readonly string[]).includes(outcome)) {
        return html(400, renderMessagePage('Choose an outcome', `Unknown outcome "${outcome}".`));
      }
      if (session.status !== 'requires_input' || session.redaction !== null) {
        return html(
          409,
          renderMessagePage(
            'Verification closed',
            `This verification is ${session.status} and cannot be submitted.`,
          ),
        );
      }
      const caused = { id: request.requestId, idempotency_key: null };
      try {
        if (outcome === VERIFIED_OUTCOME)
          ctx.sessions.verify(id, caused, readReportedOutputs(request.params));
        else ctx.sessions.requireInput(id, { code: outcome }, caused);
      } catch (err) {
        if (err instanceof ApiError) return html(409, renderMessagePage('Verification closed', err.message));
        throw err;
      }
      if (session.return_url) return { kind: 'redirect', location: session.return_url };
      return html(
        200,
        renderMessagePage('Submitted', 'Your verification was submitted. You can close this page.'),
      );
    },
    { public: true },
  );
}

function html(status: number, body: string): Reply {
  return { kind: 'html', status, body };
}
