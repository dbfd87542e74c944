/**
 * App API: POST /v1/subjects/:ref/sessions `{ email?, return_url? }` → 201 `{ session_id, url,
 * client_secret }`, or 409 with a refusal code (DESIGN.md "Interfaces"). `url` and `client_secret` are
 * single-use secrets for this user (reference §1): answered, never logged.
 */
import type { FastifyInstance } from 'fastify';
import type { Policy } from '../../domain/index.js';
import { IdvError } from '../../errors.js';
import { openSession } from '../../outcomes/open-session.js';
import { StripeGatewayError, type StripeGateway } from '../../stripe/gateway.js';
import type { SubjectsAndReviews } from '../../store/store.js';
import { readSubjectRef } from '../input-guard.js';

export interface AppSessionDeps {
  store: Pick<SubjectsAndReviews, 'updateSubject'>;
  policy: Policy;
  /** Undefined without STRIPE_SECRET_KEY: the route answers 503 stripe_not_configured. */
  stripe: StripeGateway | undefined;
  clock: () => number;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function appSessionRoutes(app: FastifyInstance, deps: AppSessionDeps) {
  app.post('/v1/subjects/:ref/sessions', async (request, reply) => {
    const ref = readSubjectRef(request.params);
    const { email, returnUrl } = readBody(request.body);
    if (!deps.stripe) {
      throw new IdvError(
        'stripe_not_configured',
        'Set STRIPE_SECRET_KEY to let idv create verification sessions.',
      );
    }
    try {
      const opened = await openSession(
        { store: deps.store, stripe: deps.stripe, policy: deps.policy, clock: deps.clock },
        { ref, email, returnUrl },
      );
      request.log.info(
        { subject: ref, session_id: opened.sessionId, reused: opened.reused },
        'session handed out',
      );
      return reply
        .code(201)
        .send({ session_id: opened.sessionId, url: opened.url, client_secret: opened.clientSecret });
    } catch (err) {
      if (err instanceof StripeGatewayError) {
        request.log.warn(
          { subject: ref, status: err.statusCode, request_id: err.requestId, code: err.stripeCode },
          'stripe refused a session call',
        );
        throw new IdvError('stripe_error', err.message, { request_id: err.requestId });
      }
      throw err;
    }
  });
}

function readBody(body: unknown): { email: string | undefined; returnUrl: string | undefined } {
  if (body === undefined || body === null || body === '') return { email: undefined, returnUrl: undefined };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new IdvError('invalid_request', 'The body must be a JSON object.');
  }
  const { email, return_url: returnUrl } = body as Record<string, unknown>;
  if (
    email !== undefined &&
    email !== null &&
    (typeof email !== 'string' || !EMAIL.test(email) || email.length > 254)
  ) {
    throw new IdvError('invalid_request', 'email must be an email address.', { param: 'email' });
  }
  if (
    returnUrl !== undefined &&
    returnUrl !== null &&
    (typeof returnUrl !== 'string' || !isHttpUrl(returnUrl))
  ) {
    throw new IdvError('invalid_request', 'return_url must be an absolute http(s) URL.', {
      param: 'return_url',
    });
  }
  return { email: email ?? undefined, returnUrl: returnUrl ?? undefined } as {
    email: string | undefined;
    returnUrl: string | undefined;
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
