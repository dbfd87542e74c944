/**
 * Signing in to the console: a person exchanges an operator token for a session cookie, so the token is
 * typed once and never kept by the browser. The cookie holds a random secret; the store keeps only its
 * SHA-256 (a database copy opens no session). It is HttpOnly (no script reads it), SameSite=Strict (no
 * other site's page sends it) and Secure when the request came over https (IDV_TRUST_PROXY decides what a
 * proxy may claim). Every state-changing request made with the cookie must also carry `Idv-Csrf`, a value
 * derived from the secret that only the console's own pages are given: a forged form cannot know it.
 * API clients keep sending `Authorization: Bearer`; a request with that header is judged by it alone.
 *
 * POST /admin/session `{ token }` → `{ operator, csrf_token }` + cookie; GET /admin/session → the same
 * while signed in, else `{ operator: null }`; POST /admin/session/sign-out ends the session (deleted from the store at once).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdvError } from '../errors.js';
import type { ConsoleSessions, Operators } from '../store/store.js';
import type { BearerGuard } from './auth.js';
import { operatorById, operatorIdentifier, requireOperator, type Operator } from './operators.js';
import { routeSchema } from './openapi/route-schema.js';
import { obj, str } from './openapi/json-schema.js';

const DOCS = {
  signIn: routeSchema({
    summary: 'Exchange an operator token for a console session cookie',
    tag: 'console',
    body: { schema: obj({ token: str('An operator token.') }), required: true },
    answers: { 200: 'SignedIn', 401: 'Error', 429: 'Error' },
  }),
  state: routeSchema({
    summary: "Who this browser's session belongs to (operator null when signed out)",
    tag: 'console',
    answers: { 200: 'SessionState' },
  }),
  signOut: routeSchema({
    summary: 'End the console session (needs its Idv-Csrf header)',
    tag: 'console',
    answers: {
      200: { description: 'Signed out.', schema: obj({ signed_out: { type: 'boolean' } }) },
      403: 'Error',
    },
  }),
};

export const SESSION_COOKIE = 'idv_console';
/** How long a sign-in lasts: a working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ConsoleSessionDeps {
  store: ConsoleSessions & Pick<Operators, 'findOperatorByTokenHash' | 'listOperators'>;
  adminToken: string | undefined;
  guard: BearerGuard;
  clock: () => number;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The CSRF token of a session: derived from its secret, so nothing more is stored. */
export function csrfTokenOf(secret: string): string {
  return sha256(`idv-csrf:${secret}`);
}

export function cookieSecret(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** The signed-in operator of the cookie, or undefined (no cookie, unknown, expired, operator removed). */
async function sessionOperator(request: FastifyRequest, deps: ConsoleSessionDeps) {
  const secret = cookieSecret(request);
  if (secret === undefined) return undefined;
  const session = await deps.store.findConsoleSession(sha256(secret), deps.clock());
  if (!session) return undefined;
  const operator = await operatorById(session.operatorId, deps.adminToken, deps.store);
  return operator ? { operator, secret } : undefined;
}

/**
 * The admin scope's authentication: the Bearer header when there is one, else the session cookie (with
 * its CSRF check on writes). A bad cookie without a header goes the Bearer way: 401, counted and limited.
 */
export function requireOperatorOrSession(deps: ConsoleSessionDeps) {
  const bearer = requireOperator(deps.guard, deps.adminToken, deps.store);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.headers.authorization === undefined) {
      const signedIn = await sessionOperator(request, deps);
      if (signedIn) {
        if (!SAFE_METHODS.has(request.method)) {
          if (!sameToken(request.headers['idv-csrf'], csrfTokenOf(signedIn.secret))) {
            throw new IdvError(
              'csrf_token_invalid',
              'This request needs the Idv-Csrf header of the session.',
            );
          }
        }
        request.operator = signedIn.operator;
        return;
      }
    }
    await bearer(request, reply);
  };
}

function presentSignIn(operator: Operator, secret: string) {
  return {
    operator: { id: operator.id, name: operator.name, role: operator.role },
    csrf_token: csrfTokenOf(secret),
  };
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export async function consoleSessionRoutes(app: FastifyInstance, deps: ConsoleSessionDeps): Promise<void> {
  const identify = operatorIdentifier(deps.adminToken, deps.store);
  const { failures, metrics } = deps.guard;

  app.post('/admin/session', { schema: DOCS.signIn }, async (request, reply) => {
    const now = deps.clock();
    const waitMs = failures.blockedFor(request.ip, now);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new IdvError('too_many_requests', 'Too many failed sign-ins from this address; try again later.');
    }
    const token = (request.body as Record<string, unknown> | null)?.token;
    const operator = typeof token === 'string' && token !== '' ? await identify(token) : undefined;
    if (!operator) {
      failures.record(request.ip, now);
      metrics.inc('idv_auth_failures_total', { api: 'admin', reason: 'invalid_token' });
      request.log.warn(
        { api: 'admin', reason: 'sign_in_failed', client: request.ip },
        'authentication failed',
      );
      throw new IdvError('unauthorized', 'That is not an operator token.');
    }
    const secret = randomBytes(32).toString('base64url');
    await deps.store.deleteConsoleSession('', now);
    await deps.store.createConsoleSession({
      id: sha256(secret),
      operatorId: operator.id,
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    });
    reply
      .header('set-cookie', cookie(request, secret, SESSION_TTL_MS / 1000))
      .header('cache-control', 'no-store');
    return presentSignIn(operator, secret);
  });

  app.get('/admin/session', { schema: DOCS.state }, async (request, reply) => {
    const signedIn = await sessionOperator(request, deps);
    reply.header('cache-control', 'no-store');
    // 200 either way: the console asks this first, and a browser reports every 401 as an error.
    return signedIn ? presentSignIn(signedIn.operator, signedIn.secret) : { operator: null };
  });

  app.post('/admin/session/sign-out', { schema: DOCS.signOut }, async (request, reply) => {
    const secret = cookieSecret(request);
    if (secret !== undefined) {
      if (!sameToken(request.headers['idv-csrf'], csrfTokenOf(secret))) {
        throw new IdvError('csrf_token_invalid', 'Signing out needs the Idv-Csrf header of the session.');
      }
      await deps.store.deleteConsoleSession(sha256(secret), deps.clock());
    }
    reply.header('set-cookie', cookie(request, '', 0));
    return { signed_out: true };
  });
}
