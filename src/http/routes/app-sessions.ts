/**
 * App API: POST /v1/subjects/:ref/sessions `{ email?, type?, verification_flow?, options?,
 * provided_details?, related_customer?, related_customer_account?, related_person?, return_url?, expected?,
 * account? }` → 201
 * `{ session_id, url, client_secret }`, 400 `invalid_request` with `param` naming the field, or 409 with a
 * refusal code (DESIGN.md "Interfaces"). `url` and `client_secret` are single-use secrets for this user
 * (reference §1): answered, never logged.
 */
import type { FastifyInstance } from 'fastify';
import {
  isAccountId,
  readExpected,
  readSessionFields,
  SESSION_FIELD_NAMES,
  SessionRequestError,
  type ExpectedData,
  type Policy,
  type SessionFields,
} from '../../domain/index.js';
import { IdvError } from '../../errors.js';
import { openSession } from '../../outcomes/open-session.js';
import { StripeGatewayError, type StripeGateway } from '../../stripe/gateway.js';
import type { SubjectsAndReviews } from '../../store/store.js';
import { readSubjectRef } from '../input-guard.js';
import { routeSchema } from '../openapi/route-schema.js';
import { anyObject, str } from '../openapi/json-schema.js';

const OPEN_SESSION = routeSchema({
  summary: 'Hand out a verification session for a user (the open one again, or a new one)',
  description: 'The body is optional; every field is checked by name, with `param` naming the one at fault.',
  tag: 'app',
  params: { ref: str('The subject ref: your user id.') },
  body: {
    required: false,
    schema: {
      type: 'object',
      properties: {
        email: str('Where the outcome emails go.'),
        type: str('document or id_number.'),
        options: anyObject("Stripe's session options."),
        expected: anyObject('Data to compare with the verified outputs (needs an encryption key).'),
        account: str('A Connect account (acct_…).'),
      },
    },
  },
  answers: { 201: 'SessionOpened' },
  errors: [409, 502, 503],
});

export interface AppSessionDeps {
  store: Pick<SubjectsAndReviews, 'updateSubject'>;
  policy: Policy;
  /** Undefined without STRIPE_SECRET_KEY: the route answers 503 stripe_not_configured. */
  stripe: StripeGateway | undefined;
  clock: () => number;
  /** Personal data is encrypted at rest (a key is configured): required to accept `expected`. */
  encrypted: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function appSessionRoutes(app: FastifyInstance, deps: AppSessionDeps) {
  app.post('/v1/subjects/:ref/sessions', { schema: OPEN_SESSION }, async (request, reply) => {
    const ref = readSubjectRef(request.params);
    const { email, fields, expected, account } = readBody(request.body);
    if (!deps.stripe) {
      throw new IdvError(
        'stripe_not_configured',
        'Set STRIPE_SECRET_KEY to let idv create verification sessions.',
      );
    }
    try {
      const opened = await openSession(
        {
          store: deps.store,
          stripe: deps.stripe,
          policy: deps.policy,
          clock: deps.clock,
          encrypted: deps.encrypted,
        },
        { ref, email, fields, expected, account },
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

const BODY_FIELDS: readonly string[] = ['email', ...SESSION_FIELD_NAMES, 'expected', 'account'];

export interface SessionBody {
  email: string | undefined;
  fields: SessionFields;
  /** What the app expects Stripe to verify (domain/expected-data.ts). Personal data. */
  expected: ExpectedData | undefined;
  /** A Connect account to open the session in (`Stripe-Account`). */
  account: string | undefined;
}

/** Also used by library mode's `openSession`, so both take the same fields with the same messages. */
export function readBody(body: unknown): SessionBody {
  const none = { expected: undefined, account: undefined };
  if (body === undefined || body === null || body === '') return { email: undefined, fields: {}, ...none };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new IdvError('invalid_request', 'The body must be a JSON object.');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!BODY_FIELDS.includes(key)) {
      throw new IdvError(
        'invalid_request',
        `${key}: unknown field; expected one of ${BODY_FIELDS.join(', ')}`,
        {
          param: key,
        },
      );
    }
  }
  const { email } = input;
  if (
    email !== undefined &&
    email !== null &&
    (typeof email !== 'string' || !EMAIL.test(email) || email.length > 254)
  ) {
    throw new IdvError('invalid_request', 'email must be an email address.', { param: 'email' });
  }
  const { account } = input;
  if (account !== undefined && account !== null && !isAccountId(account)) {
    throw new IdvError('invalid_request', 'account must be a Connect account id (acct_…).', {
      param: 'account',
    });
  }
  try {
    return {
      email: (email as string | null | undefined) ?? undefined,
      fields: readSessionFields(input),
      expected: readExpected(input['expected']),
      account: (account as string | null | undefined) ?? undefined,
    };
  } catch (err) {
    if (err instanceof SessionRequestError)
      throw new IdvError('invalid_request', err.message, { param: err.param });
    throw err;
  }
}
