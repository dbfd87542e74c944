/**
 * Test helpers that stand in for a person using the hosted page (reference §2.1 "Test mode": checks are
 * not really processed; the test page lets you pick an outcome, §10 issue #704):
 *
 *   POST /v1/test_helpers/identity/verification_sessions/:id/verify        verified_outputs[…]
 *   POST /v1/test_helpers/identity/verification_sessions/:id/require_input  last_error[code], last_error[reason]
 *   POST /v1/test_helpers/identity/verification_sessions/:id/processing
 *   POST /v1/test_helpers/identity/verification_sessions/:id/expire_sensitive_outputs
 *
 * verify and require_input are each a new submission with a new `last_verification_report` (one report per
 * processed submission, §3.2): `processing` is emitted first, then the outcome. Stripe has no such public
 * endpoints; the paths follow Stripe's `/v1/test_helpers/...` convention.
 */
import { invalidParam } from '../api-error.js';
import type { RequestInfo, EmulatedSession } from '../model.js';
import { type EmulatorContext, renderFor, requestInfo } from '../context.js';
import { assertKnownParams, optionalHash, optionalString } from '../params.js';
import type { Router } from '../router.js';
import { json } from '../router.js';
import { readReportedOutputs } from '../reported-outputs.js';
import { checkSessionExpand } from '../session-render.js';
import { readExpand } from './verification-sessions.js';

const BASE = '/v1/test_helpers/identity/verification_sessions/:id';

export function registerTestHelperRoutes(router: Router, ctx: EmulatorContext): void {
  // verify and processing take only `expand`; require_input also takes `last_error`.
  const simple = (path: string, act: (id: string, info: RequestInfo) => EmulatedSession) =>
    router.add('POST', `${BASE}/${path}`, (request) => {
      assertKnownParams(request.params, ['expand']);
      const expand = readExpand(request.params);
      checkSessionExpand(expand, request.keyKind);
      const session = act(request.pathParams.id!, requestInfo(request));
      return json(renderFor(ctx, session, expand, request.keyKind));
    });

  simple('processing', (id, info) => ctx.sessions.submit(id, info));
  // The 48-hour window of sensitive outputs is over (reference §1); no event, like on Stripe.
  simple('expire_sensitive_outputs', (id) => ctx.sessions.expireSensitiveOutputs(id));

  router.add('POST', `${BASE}/verify`, (request) => {
    assertKnownParams(request.params, ['expand', 'verified_outputs']);
    const reported = readReportedOutputs(request.params);
    const expand = readExpand(request.params);
    checkSessionExpand(expand, request.keyKind);
    const session = ctx.sessions.verify(request.pathParams.id!, requestInfo(request), reported);
    return json(renderFor(ctx, session, expand, request.keyKind));
  });

  router.add('POST', `${BASE}/require_input`, (request) => {
    const { params } = request;
    assertKnownParams(params, ['last_error', 'expand']);
    const lastError = optionalHash(params, 'last_error') ?? {};
    for (const key of Object.keys(lastError)) {
      if (key !== 'code' && key !== 'reason') {
        throw invalidParam(
          `last_error[${key}]`,
          `Received unknown parameter: last_error[${key}]`,
          'parameter_unknown',
        );
      }
    }
    const expand = readExpand(params);
    checkSessionExpand(expand, request.keyKind);
    const session = ctx.sessions.requireInput(
      request.pathParams.id!,
      {
        code: optionalString(lastError, 'code') || undefined,
        reason: optionalString(lastError, 'reason') || undefined,
      },
      requestInfo(request),
    );
    return json(renderFor(ctx, session, expand, request.keyKind));
  });
}
