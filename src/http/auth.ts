/**
 * Bearer-token checks for the app API and the admin API, in constant time. A failure is logged (the
 * client address and why, never the token), counted in /metrics, and answered 401 with
 * `WWW-Authenticate: Bearer` (RFC 6750); an address with too many recent failures is answered 429 with
 * `Retry-After` before its token is even looked at (auth-failures.ts has the numbers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdvError } from '../errors.js';
import type { AuthFailureWindow } from './auth-failures.js';
import type { Metrics } from './metrics.js';

export interface BearerGuard {
  /** The metrics label: `app` (/v1) or `admin`. */
  api: 'app' | 'admin';
  /** What the 401 message asks for: the variable holding the token, or "an operator token". */
  variable: string;
  /** Shared by both APIs, so alternating between them buys no extra guesses. */
  failures: AuthFailureWindow;
  metrics: Metrics;
  clock: () => number;
}

/** The hook for one fixed token (the app API's IDV_API_TOKEN). */
export function requireBearer(token: string, guard: BearerGuard) {
  const expected = digest(token);
  return requireIdentity(guard, async (given) =>
    timingSafeEqual(digest(given), expected) ? true : undefined,
  );
}

/**
 * The hook for a token that `identify` looks up (the admin API's operators); what it returns is passed to
 * `accept` before the request goes on. `identify` answers undefined for a token nobody holds.
 */
export function requireIdentity<T>(
  guard: BearerGuard,
  identify: (token: string, request: FastifyRequest) => Promise<T | undefined>,
  accept: (request: FastifyRequest, identity: T) => void = () => undefined,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // request.ip follows IDV_TRUST_PROXY: the client behind a trusted proxy, else the TCP peer.
    const client = request.ip;
    const now = guard.clock();
    const waitMs = guard.failures.blockedFor(client, now);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      guard.metrics.inc('idv_auth_failures_total', { api: guard.api, reason: 'rate_limited' });
      reply.header('retry-after', String(seconds));
      throw new IdvError(
        'too_many_requests',
        `Too many failed authentications from this address; try again in ${seconds} s.`,
      );
    }
    const given = bearerOf(request);
    const identity = given === undefined ? undefined : await identify(given, request);
    if (identity === undefined) {
      const reason = given === undefined ? 'missing_token' : 'invalid_token';
      guard.failures.record(client, now);
      guard.metrics.inc('idv_auth_failures_total', { api: guard.api, reason });
      // The address is what an operator blocks at the firewall; the token, even a wrong one, is never logged.
      request.log.warn({ api: guard.api, reason, client }, 'authentication failed');
      reply.header(
        'www-authenticate',
        given === undefined ? 'Bearer realm="idv"' : 'Bearer realm="idv", error="invalid_token"',
      );
      throw new IdvError(
        'unauthorized',
        `A valid "Authorization: Bearer <${guard.variable}>" header is required.`,
      );
    }
    accept(request, identity);
  };
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** SHA-256: comparing digests keeps a comparison constant-time whatever the lengths. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
