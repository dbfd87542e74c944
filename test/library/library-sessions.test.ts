import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { pino } from 'pino';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { createIdvOutcomes, IdvError, type IdvOutcomes } from '../../src/index.js';
import { signedRequest, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'whsec_library_sessions_secret';
const KEY = 'sk_test_library_sessions';
let emulator: Emulator;
let stripe: Stripe;
let idv: IdvOutcomes;
let base: string;
const temp = tempDir();
const app = Fastify();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  idv = await createIdvOutcomes({
    webhookSecret: SECRET,
    database: `sqlite:${join(temp.dir, 'idv.db')}`,
    stripeSecretKey: KEY,
    stripeApiBase: emulator.url,
    policy: { max_attempts: 1, session: { options: { document: { require_matching_selfie: true } } } },
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 10,
  });
  await app.register(idv.fastifyPlugin);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  idv.start();
});
afterAll(async () => {
  await app.close();
  await idv.close();
  await emulator.close();
  temp.cleanup();
});

describe('library mode: idv.openSession and idv.decideReview', () => {
  it('opens a session with the same fields as the HTTP API, policy defaults applied', async () => {
    const ref = uniqueId('user');
    const opened = await idv.openSession(ref, {
      email: 'lib@example.test',
      related_person: { account: 'acct_lib', person: 'person_lib' },
    });
    expect(opened.sessionId).toMatch(/^vs_/);
    const vs = await stripe.identity.verificationSessions.retrieve(opened.sessionId, {
      expand: ['provided_details'],
    });
    expect(vs).toMatchObject({
      client_reference_id: ref,
      options: { document: { require_matching_selfie: true } },
      provided_details: { email: 'lib@example.test' },
      related_person: { account: 'acct_lib', person: 'person_lib' },
    });
    expect((await idv.openSession(ref)).sessionId).toBe(opened.sessionId);
  });

  it('throws IdvError naming the field', async () => {
    const err = await idv
      .openSession(uniqueId('user'), { options: { document: { allowed_types: ['visa'] } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdvError);
    expect(err).toMatchObject({
      code: 'invalid_request',
      details: { param: 'options.document.allowed_types[0]' },
    });
  });

  it('keeps the attempt limit: an exhausted subject is refused', async () => {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
      code: 'document_expired',
    });
    const { body, headers } = signedRequest(event, SECRET);
    expect((await fetch(`${base}/webhook`, { method: 'POST', headers, body })).status).toBe(200);
    await waitFor(async () =>
      (await idv.store.getSubject(ref))?.subject.view.state === 'in_review' ? true : undefined,
    );
    const err = await idv.openSession(ref).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'attempts_exhausted' });

    const [review] = (await idv.store.listReviews({ status: 'open', limit: 100 })).filter(
      (r) => r.subjectRef === ref,
    );
    const decided = await idv.decideReview(review!.id, {
      decision: 'approve',
      note: 'document checked by phone',
    });
    expect(decided.status).toBe('approved');
    expect((await idv.store.getSubject(ref))?.subject.view.state).toBe('verified');
    await expect(idv.decideReview(review!.id, { decision: 'reject', note: 'again' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
