/**
 * Failed authentication is answered 401 with `WWW-Authenticate: Bearer`, logged without the token,
 * counted in /metrics, and after ten failures within a minute an address is answered 429 with
 * `Retry-After` until the oldest failure leaves the window. The app runs in-process (`app.inject`, which
 * sets the peer address) with a clock the test moves.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_POLICY } from '../../src/domain/index.js';
import { buildHttpApp } from '../../src/http/app.js';
import { AuthFailureWindow, clientKey } from '../../src/http/auth-failures.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ADMIN_TOKEN, API_TOKEN, WEBHOOK_SECRET } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';

const WRONG = 'wrong-token-that-must-never-be-logged-0000';
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function buildApp(env: Record<string, string> = {}) {
  const temp = tempDir();
  const store = new SqliteStore({ filename: join(temp.dir, 'idv.db') });
  await store.migrate();
  const config = loadConfig(
    [],
    {
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      IDV_ADMIN_TOKEN: ADMIN_TOKEN,
      IDV_API_TOKEN: API_TOKEN,
      IDV_ROLE: 'receiver',
      ...env,
    },
    { requireWebhookSecret: true },
  );
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const clock = { now: 1_800_000_000_000 };
  const app: FastifyInstance = await buildHttpApp({
    config,
    store,
    logger,
    policy: DEFAULT_POLICY,
    clock: () => clock.now,
    receive: {
      store,
      secrets: config.webhookSecrets,
      toleranceSec: config.webhookToleranceSec,
      acceptedMode: config.acceptedMode,
      clock: () => clock.now,
      logger,
    },
  });
  cleanups.push(async () => {
    await app.close();
    await store.close();
    temp.cleanup();
  });
  const call = (
    path: string,
    token: string | undefined,
    from = '10.0.0.1',
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'GET',
      url: path,
      remoteAddress: from,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    });
  return { app, logs, clock, call };
}

describe('failed authentication', () => {
  it('answers 401 with WWW-Authenticate, logs the address and reason but never the token, and counts it', async () => {
    const { call, logs } = await buildApp();
    const missing = await call('/admin/api/events', undefined);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="idv"');
    const wrong = await call('/v1/subjects/user_1', WRONG);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="idv", error="invalid_token"');
    expect(wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });

    const lines = logs.map((line) => JSON.parse(line)).filter((l) => l.msg === 'authentication failed');
    expect(lines).toEqual([
      expect.objectContaining({ api: 'admin', reason: 'missing_token', client: '10.0.0.1' }),
      expect.objectContaining({ api: 'app', reason: 'invalid_token', client: '10.0.0.1' }),
    ]);
    expect(logs.join('\n')).not.toContain(WRONG);

    const metrics = (await call('/metrics', undefined)).body;
    expect(metrics).toMatch(/^idv_auth_failures_total\{api="admin",reason="missing_token"\} 1$/m);
    expect(metrics).toMatch(/^idv_auth_failures_total\{api="app",reason="invalid_token"\} 1$/m);
  });

  it('answers 429 with Retry-After after ten failures in a minute, even to the right token, then lets the address in again', async () => {
    const { call, clock } = await buildApp();
    for (let i = 0; i < 10; i++) {
      // Alternating the APIs buys no extra guesses: the window is shared.
      expect((await call(i % 2 ? '/v1/subjects/user_1' : '/admin/api/events', WRONG)).statusCode).toBe(401);
      clock.now += 1_000;
    }
    const limited = await call('/admin/api/events', ADMIN_TOKEN);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    // The first failure leaves the window 60 s after it happened, 50 s from now.
    expect(limited.headers['retry-after']).toBe('50');
    expect((await call('/admin/api/events', ADMIN_TOKEN, '10.0.0.2')).statusCode).toBe(200);
    expect((await call('/metrics', undefined)).body).toMatch(
      /^idv_auth_failures_total\{api="admin",reason="rate_limited"\} 1$/m,
    );

    clock.now += 50_000;
    expect((await call('/admin/api/events', ADMIN_TOKEN)).statusCode).toBe(200);
    // Only one failure left the window: the next wrong guess fills it again.
    expect((await call('/admin/api/events', WRONG)).statusCode).toBe(401);
    expect((await call('/admin/api/events', ADMIN_TOKEN)).statusCode).toBe(429);
  });

  it('counts the client named in X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const fail = async (
      call: Awaited<ReturnType<typeof buildApp>>['call'],
      forwardedFor: string,
    ): Promise<number> => {
      let status = 0;
      for (let i = 0; i < 11; i++) {
        status = (await call('/admin/api/events', WRONG, '127.0.0.1', { 'x-forwarded-for': forwardedFor }))
          .statusCode;
      }
      return status;
    };
    const behindProxy = await buildApp({ IDV_TRUST_PROXY: 'loopback' });
    expect(await fail(behindProxy.call, '203.0.113.9')).toBe(429);
    const other = await behindProxy.call('/admin/api/events', ADMIN_TOKEN, '127.0.0.1', {
      'x-forwarded-for': '203.0.113.10',
    });
    expect(other.statusCode).toBe(200);

    // Untrusted, the header is the client's own claim: the peer address is what counts.
    const direct = await buildApp();
    expect(await fail(direct.call, '203.0.113.9')).toBe(429);
    const spoofed = await direct.call('/admin/api/events', ADMIN_TOKEN, '127.0.0.1', {
      'x-forwarded-for': '203.0.113.10',
    });
    expect(spoofed.statusCode).toBe(429);
  });
});

describe('AuthFailureWindow', () => {
  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    const window = new AuthFailureWindow(2, 1_000);
    window.record('2001:db8:1:2::1', 0);
    window.record('2001:db8:1:2::99', 100);
    expect(window.blockedFor('2001:db8:1:2::abc', 200)).toBe(800);
    expect(window.blockedFor('2001:db8:1:2::abc', 1_000)).toBe(0);
  });
});
