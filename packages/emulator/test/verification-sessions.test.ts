import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulator, startTestEmulator, testHelper } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.emulator.close());

const createParams: Stripe.Identity.VerificationSessionCreateParams = {
  type: 'document',
  metadata: { user_id: 'u1' },
  client_reference_id: 'u1',
  options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: true } },
  return_url: 'https://example.com/done',
};

describe('VerificationSessions through stripe-node (reference §1, §8)', () => {
  it('creates a requires_input session with a hosted url and a client secret', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    expect(vs).toMatchObject({
      object: 'identity.verification_session',
      status: 'requires_input',
      type: 'document',
      client_reference_id: 'u1',
      metadata: { user_id: 'u1' },
      options: { document: { allowed_types: ['passport', 'id_card'], require_matching_selfie: true } },
      last_error: null,
      last_verification_report: null,
      redaction: null,
      livemode: false,
    });
    expect(vs.id).toMatch(/^vs_/);
    expect(vs.client_secret).toMatch(new RegExp(`^${vs.id}_secret_`));
    expect(vs.url).toBe(`${t.emulator.url}/verify/${vs.id}`);
    expect(vs).not.toHaveProperty('verified_outputs');
    expect(vs.lastResponse.requestId).toMatch(/^req_/);
  });

  it('retrieves the session, and expands verified_outputs once verified', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({
      ...createParams,
      provided_details: { email: 'jenny@example.com' },
    });
    const before = await t.stripe.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs'],
    });
    expect(before.verified_outputs).toBeNull();

    await testHelper(t.stripe, vs.id, 'verify');
    const after = await t.stripe.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs', 'provided_details'],
    });
    expect(after.status).toBe('verified');
    expect(after.url).toBeNull();
    expect(after.client_secret).toBeNull();
    expect(after.provided_details).toEqual({ email: 'jenny@example.com' });
    expect(after.verified_outputs).toMatchObject({
      first_name: 'Jenny',
      last_name: 'Rosen',
      email: 'jenny@example.com',
    });
    expect(after.verified_outputs).not.toHaveProperty('dob');
    expect(after.verified_outputs).not.toHaveProperty('id_number');
  });

  it('expands the sensitive outputs only with a restricted key', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'id_number' });
    await testHelper(t.stripe, vs.id, 'verify');
    const expand = ['verified_outputs', 'verified_outputs.dob', 'verified_outputs.id_number'];

    const err = await t.stripe.identity.verificationSessions
      .retrieve(vs.id, { expand })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(403);

    const full = await t.restricted.identity.verificationSessions.retrieve(vs.id, { expand });
    expect(full.verified_outputs).toMatchObject({
      dob: { day: 14, month: 3, year: 1990 },
      id_number: '000000000',
      id_number_type: 'us_ssn',
    });
  });

  it('expands last_verification_report to the report object', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    await testHelper(t.stripe, vs.id, 'require_input', { last_error: { code: 'selfie_face_mismatch' } });
    const got = await t.stripe.identity.verificationSessions.retrieve(vs.id, {
      expand: ['last_verification_report'],
    });
    const report = got.last_verification_report as Stripe.Identity.VerificationReport;
    expect(report.object).toBe('identity.verification_report');
    expect(report.verification_session).toBe(vs.id);
    expect(report.selfie).toMatchObject({ status: 'unverified', error: { code: 'selfie_face_mismatch' } });
  });

  it('refuses an unknown expand path with a 400 naming expand', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    const err = await t.stripe.identity.verificationSessions
      .retrieve(vs.id, { expand: ['nope'] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).param).toBe('expand');
  });

  it('answers an unknown id with 404 resource_missing and a request id', async () => {
    const err = await t.stripe.identity.verificationSessions.retrieve('vs_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      rawType: 'invalid_request_error',
    });
    expect((err as Stripe.errors.StripeError).requestId).toMatch(/^req_/);
  });

  it('refuses a missing or unknown parameter with its name', async () => {
    const missing = await t.stripe.identity.verificationSessions.create({}).catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'type' });
    const bad = await t.stripe.identity.verificationSessions
      .create({ type: 'selfie' as 'document' })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ statusCode: 400, param: 'type' });
    const unknown = await t.stripe.identity.verificationSessions
      .create({ type: 'document', colour: 'red' } as never)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
  });

  it('requires a test-mode secret or restricted key', async () => {
    const { emulator } = t;
    const live = new Stripe('sk_live_nope', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const err = await live.identity.verificationSessions.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((err as Stripe.errors.StripeError).requestId).toMatch(/^req_/);

    const raw = await fetch(`${emulator.url}/v1/identity/verification_sessions`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('request-id')).toMatch(/^req_/);
    expect(await raw.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('returns the same session for a reused Idempotency-Key, and refuses the key with other parameters', async () => {
    const first = await t.stripe.identity.verificationSessions.create(createParams, {
      idempotencyKey: 'user-u1-attempt-1',
    });
    const again = await t.stripe.identity.verificationSessions.create(createParams, {
      idempotencyKey: 'user-u1-attempt-1',
    });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(t.emulator.state.sessions.size).toBe(1);

    const err = await t.stripe.identity.verificationSessions
      .create({ ...createParams, client_reference_id: 'u2' }, { idempotencyKey: 'user-u1-attempt-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('updates metadata and options while requires_input, and refuses an update after verify', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    const updated = await t.stripe.identity.verificationSessions.update(vs.id, {
      metadata: { plan: 'pro' },
      options: { document: { allowed_types: ['driving_license'] } },
    });
    expect(updated.metadata).toEqual({ user_id: 'u1', plan: 'pro' });
    expect(updated.options).toEqual({ document: { allowed_types: ['driving_license'] } });

    const unset = await t.stripe.identity.verificationSessions.update(vs.id, { metadata: { plan: '' } });
    expect(unset.metadata).toEqual({ user_id: 'u1' });

    await testHelper(t.stripe, vs.id, 'verify');
    const err = await t.stripe.identity.verificationSessions
      .update(vs.id, { metadata: { plan: 'x' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((await t.stripe.identity.verificationSessions.retrieve(vs.id)).metadata).toEqual({
      user_id: 'u1',
    });
  });

  it('cancels a requires_input session and refuses to cancel a verified one', async () => {
    const open = await t.stripe.identity.verificationSessions.create(createParams);
    const canceled = await t.stripe.identity.verificationSessions.cancel(open.id);
    expect(canceled).toMatchObject({ status: 'canceled', url: null, client_secret: null });

    const done = await t.stripe.identity.verificationSessions.create(createParams);
    await testHelper(t.stripe, done.id, 'verify');
    const err = await t.stripe.identity.verificationSessions.cancel(done.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(400);
    expect((await t.stripe.identity.verificationSessions.retrieve(done.id)).status).toBe('verified');
  });

  it('redacting a requires_input session cancels it, then finishes redaction and erases metadata', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    const redacting = await t.stripe.identity.verificationSessions.redact(vs.id);
    expect(redacting).toMatchObject({ status: 'canceled', redaction: { status: 'processing' } });

    await expect
      .poll(async () => (await t.stripe.identity.verificationSessions.retrieve(vs.id)).redaction?.status)
      .toBe('redacted');
    const redacted = await t.stripe.identity.verificationSessions.retrieve(vs.id);
    expect(redacted.metadata).toEqual({});
    expect(redacted.status).toBe('canceled');

    const types = (await t.stripe.events.list({ limit: 10 })).data.map((e) => e.type);
    expect(types).toEqual([
      'identity.verification_session.redacted',
      'identity.verification_session.canceled',
      'identity.verification_session.created',
    ]);
  });

  it('a verified session stays verified when redacted, and its outputs become placeholders', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    await testHelper(t.stripe, vs.id, 'verify');
    await t.stripe.identity.verificationSessions.redact(vs.id);
    await expect
      .poll(async () => (await t.stripe.identity.verificationSessions.retrieve(vs.id)).redaction?.status)
      .toBe('redacted');
    const got = await t.restricted.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs', 'verified_outputs.dob'],
    });
    expect(got.status).toBe('verified');
    expect(got.metadata).toEqual({});
    expect(got.verified_outputs).toMatchObject({
      first_name: '[redacted]',
      last_name: '[redacted]',
      dob: { day: 1, month: 1, year: 1 },
    });

    const err = await t.stripe.identity.verificationSessions
      .update(vs.id, { metadata: { a: 'b' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    // Stripe also redacts the session's earlier events (reference §2.2).
    const created = (await t.stripe.events.list({ type: 'identity.verification_session.created' })).data[0]!;
    expect((created.data.object as Stripe.Identity.VerificationSession).metadata).toEqual({});
  });

  it('refuses to redact a processing session', async () => {
    const vs = await t.stripe.identity.verificationSessions.create(createParams);
    await testHelper(t.stripe, vs.id, 'processing');
    await expect(t.stripe.identity.verificationSessions.redact(vs.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });
});

describe('listing VerificationSessions (reference §8 list params)', () => {
  it('lists newest first with has_more and the url, and pages with starting_after and ending_before', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await t.stripe.identity.verificationSessions.create({ type: 'document' })).id);
    const newestFirst = [...ids].reverse();

    const first = await t.stripe.identity.verificationSessions.list({ limit: 2 });
    expect(first).toMatchObject({
      object: 'list',
      has_more: true,
      url: '/v1/identity/verification_sessions',
    });
    expect(first.data.map((s) => s.id)).toEqual(newestFirst.slice(0, 2));

    const second = await t.stripe.identity.verificationSessions.list({
      limit: 2,
      starting_after: first.data[1]!.id,
    });
    expect(second.data.map((s) => s.id)).toEqual(newestFirst.slice(2, 4));

    const last = await t.stripe.identity.verificationSessions.list({
      limit: 2,
      starting_after: second.data[1]!.id,
    });
    expect(last.data.map((s) => s.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);

    const back = await t.stripe.identity.verificationSessions.list({
      limit: 2,
      ending_before: newestFirst[4]!,
    });
    expect(back.data.map((s) => s.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.has_more).toBe(true);

    const all = await t.stripe.identity.verificationSessions
      .list({ limit: 2 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((s) => s.id)).toEqual(newestFirst);
    const chronological = await t.stripe.identity.verificationSessions
      .list({ limit: 2, ending_before: newestFirst[4]! })
      .autoPagingToArray({ limit: 100 });
    expect(chronological.map((s) => s.id)).toEqual(ids.slice(1));
  });

  it('filters by client_reference_id, status and created ranges', async () => {
    const a = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'a',
    });
    const b = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'b',
    });
    await testHelper(t.stripe, b.id, 'verify');

    expect(
      (await t.stripe.identity.verificationSessions.list({ client_reference_id: 'a' })).data.map((s) => s.id),
    ).toEqual([a.id]);
    expect(
      (await t.stripe.identity.verificationSessions.list({ status: 'verified' })).data.map((s) => s.id),
    ).toEqual([b.id]);
    expect(
      (await t.stripe.identity.verificationSessions.list({ created: { gte: a.created } })).data,
    ).toHaveLength(2);
    expect(
      (await t.stripe.identity.verificationSessions.list({ created: { lt: a.created } })).data,
    ).toHaveLength(0);
    expect(
      (await t.stripe.identity.verificationSessions.list({ created: a.created, client_reference_id: 'a' }))
        .data,
    ).toHaveLength(1);
  });

  it('refuses a limit outside 1–100 and an unknown cursor', async () => {
    await expect(t.stripe.identity.verificationSessions.list({ limit: 0 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
    await expect(t.stripe.identity.verificationSessions.list({ limit: 101 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
    await expect(
      t.stripe.identity.verificationSessions.list({ starting_after: 'vs_nope' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'starting_after' });
  });

  it('defaults to 10 per page', async () => {
    for (let i = 0; i < 11; i++) await t.stripe.identity.verificationSessions.create({ type: 'id_number' });
    const page = await t.stripe.identity.verificationSessions.list();
    expect(page.data).toHaveLength(10);
    expect(page.has_more).toBe(true);
  });
});
