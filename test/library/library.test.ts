import { join } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdvOutcomes, type IdvOutcomes, type OutcomeEvent } from '../../src/index.js';
import { parseEnvelope } from '../../src/stripe/envelope.js';
import { signedRequest, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'whsec_library_mode_secret';
const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function embedded(
  options: Partial<Parameters<typeof createIdvOutcomes>[0]> = {},
): Promise<IdvOutcomes> {
  const temp = tempDir();
  cleanups.push(() => temp.cleanup());
  const idv = await createIdvOutcomes({
    webhookSecret: [SECRET],
    database: `sqlite:${join(temp.dir, 'idv.db')}`,
    logger: silent,
    pollIntervalMs: 10,
    retryScheduleMs: [20, 20, 20],
    ...options,
  });
  cleanups.push(() => idv.close());
  return idv;
}

function post(url: string, event: unknown, secret = SECRET) {
  const { body, headers } = signedRequest(event, secret);
  return fetch(url, { method: 'POST', headers, body });
}

describe('createIdvOutcomes with Fastify', () => {
  it('stores the event, runs the worker and calls the typed handler once per outcome', async () => {
    const seen: OutcomeEvent[] = [];
    const idv = await embedded({ handlers: { onVerified: (e) => void seen.push(e) } });
    const app = Fastify();
    app.post('/api/echo', async (request) => request.body);
    await app.register(idv.fastifyPlugin, { prefix: '/stripe' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    idv.start();
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const ref = uniqueId('user');
    const vs = uniqueId('vs');
    const event = sessionEvent({
      type: 'identity.verification_session.verified',
      subject: ref,
      sessionId: vs,
    });
    for (let i = 0; i < 3; i++) expect((await post(`${base}/stripe/webhook`, event)).status).toBe(200);
    await waitFor(() => seen[0]);
    expect(seen[0]).toMatchObject({
      type: 'verification.verified',
      subject: { ref, state: 'verified' },
      idempotencyKey: `${ref}:callback:verification.verified:verified:${vs}`,
    });
    expect((await idv.store.getSubject(ref))?.subject.view.state).toBe('verified');
    // idv.getSubject is GET /v1/subjects/:ref's answer, not the store's records.
    const view = await idv.getSubject(ref);
    expect(Object.keys(view).sort()).toEqual([
      'attempts',
      'history',
      'match',
      'ref',
      'review',
      'sessions',
      'state',
    ]);
    expect(view).toMatchObject({
      ref,
      state: 'verified',
      attempts: { used: 0, max: 3, left: 3 },
      sessions: [{ id: vs, status: 'verified', last_error: null }],
      review: null,
      history: [{ from: null, to: 'verified', event_id: event.id }],
    });
    expect(await idv.getSubject('user_never_seen')).toEqual({
      ref: 'user_never_seen',
      state: 'unverified',
      attempts: { used: 0, max: 3, left: 3 },
      sessions: [],
      review: null,
      history: [],
    });
    await expect(idv.getSubject('bad\u0000ref')).rejects.toMatchObject({ code: 'invalid_request' });
    // Counted once nothing is due: the two repeats were applied and any reaction they planned has run.
    await idv.whenIdle();
    expect(seen).toHaveLength(1);

    // The application's own routes still parse JSON: idv's raw parser is scoped to its plugin.
    const echo = await fetch(`${base}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ a: 1 });
    expect((await post(`${base}/stripe/webhook`, event, 'whsec_wrong_secret_000')).status).toBe(400);
  });

  it('a throwing handler is called again on the schedule with the same idempotency key', async () => {
    const keys: string[] = [];
    const idv = await embedded({
      handlers: {
        onRetryRequired: (e) => {
          keys.push(e.idempotencyKey);
          if (keys.length < 3) throw new Error('database busy');
        },
      },
    });
    const app = Fastify();
    await app.register(idv.fastifyPlugin);
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    idv.start();
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
    });
    expect(
      (await post(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhook`, event)).status,
    ).toBe(200);
    const row = await waitFor(async () => {
      const rows = await idv.store.listReactions({ subjectRef: ref, status: 'done', limit: 5 });
      return rows.find((r) => r.kind === 'callback');
    });
    expect(row.attempts).toBe(3);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });
});

describe('IdvOutcomes.whenIdle', () => {
  it('waits for a slow handler of an event stored behind its back (where a sleep would count too early)', async () => {
    const seen: string[] = [];
    const idv = await embedded({
      // No wake-up reaches this process and the next poll is an hour away: only whenIdle's own look
      // can find the event, so a count after a fixed sleep would see nothing.
      pollIntervalMs: 3_600_000,
      handlers: {
        onVerified: async (e) => {
          await new Promise((r) => setTimeout(r, 150));
          seen.push(e.subject!.ref);
        },
      },
    });
    idv.start();
    await idv.whenIdle();

    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.verified',
      subject: ref,
      sessionId: uniqueId('vs'),
    });
    // Stored the way another process's receiver stores it.
    const envelope = parseEnvelope(Buffer.from(JSON.stringify(event)));
    await idv.store.insertEvent({
      ...envelope,
      status: 'pending',
      ignoredReason: null,
      receivedAt: Date.now(),
    });
    expect(seen).toEqual([]);
    await idv.whenIdle();
    expect(seen).toEqual([ref]);
  });

  it('rejects before start(): nothing would ever look', async () => {
    const idv = await embedded();
    await expect(idv.whenIdle()).rejects.toThrow(/not running/);
  });
});

describe('createIdvOutcomes with Express', () => {
  it('reads the raw body itself and explains a body parser mounted in front of it', async () => {
    const seen: OutcomeEvent[] = [];
    const idv = await embedded({ handlers: { onRejected: (e) => void seen.push(e) } });
    const good = express();
    good.use(idv.expressRouter());
    good.use(express.json());
    good.post('/api/echo', (req, res) => void res.json(req.body));
    const bad = express();
    bad.use(express.json());
    bad.use(idv.expressRouter());
    const servers = await Promise.all(
      [good, bad].map(
        (app) =>
          new Promise<ReturnType<typeof app.listen>>((resolve) => {
            const s = app.listen(0, '127.0.0.1', () => resolve(s));
          }),
      ),
    );
    cleanups.push(() =>
      Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
    );
    const [goodUrl, badUrl] = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    idv.start();

    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
      code: 'under_supported_age',
    });
    expect((await post(`${goodUrl}/webhook`, event)).status).toBe(200);
    await waitFor(() => seen[0]);
    expect(seen[0]).toMatchObject({ type: 'verification.rejected', subject: { ref, state: 'rejected' } });
    const echo = await fetch(`${goodUrl}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"b":2}',
    });
    expect(await echo.json()).toEqual({ b: 2 });

    const misplaced = await post(`${badUrl}/webhook`, event);
    expect(misplaced.status).toBe(500);
    expect(((await misplaced.json()) as { error: { message: string } }).error.message).toMatch(
      /before any body parser/,
    );
  });

  it('refuses to start without a whsec_ secret', async () => {
    await expect(createIdvOutcomes({ webhookSecret: 'nope', database: 'sqlite::memory:' })).rejects.toThrow(
      /whsec_/,
    );
  });

  it('refuses a bad option with the checks of its variable, naming the option', async () => {
    const refused = await createIdvOutcomes({
      webhookSecret: SECRET,
      database: 'sqlite::memory:',
      pollIntervalMs: 1,
      maxBodyBytes: 10,
      encryptionKey: 'short',
      policy: { max_atempts: 3 },
    }).catch((err: Error) => err);
    expect(refused).toBeInstanceOf(Error);
    const message = (refused as Error).message;
    expect(message).toMatch(/pollIntervalMs: expected a whole number from 5/);
    expect(message).toMatch(/maxBodyBytes: expected a whole number from 1024/);
    expect(message).toMatch(/encryptionKey: expected 64 hex characters/);
    expect(message).toMatch(/policy: .*max_atempts/);
  });
});

describe('createIdvOutcomes retention', () => {
  it('deletes processed and ignored events past the retention, as the service does', async () => {
    const idv = await embedded();
    const old = Date.now() - 40 * 86_400_000;
    const id = uniqueId('evt');
    await idv.store.insertEvent({
      id,
      type: 'charge.succeeded',
      livemode: false,
      created: Math.floor(old / 1000),
      objectId: null,
      status: 'ignored',
      ignoredReason: 'unhandled_type',
      payload: '{}',
      receivedAt: old,
    });
    expect(await idv.store.getEvent(id)).not.toBeNull();
    idv.start();
    await waitFor(async () => ((await idv.store.getEvent(id)) === null ? true : undefined));
  });
});
