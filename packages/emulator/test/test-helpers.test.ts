import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulator, startTestEmulator, testHelper } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.emulator.close());

async function sessionEvents(stripe: Stripe, sessionId: string): Promise<Stripe.Event[]> {
  const all = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
  return all.filter((e) => (e.data.object as { id: string }).id === sessionId).reverse();
}

describe('test helpers: each verify / require_input is a new submission (DESIGN.md CLI table, reference §3.2)', () => {
  it('require_input sets last_error with the given code and a reason, and a new report id each time', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const first = await testHelper(t.stripe, vs.id, 'require_input', {
      last_error: { code: 'document_expired' },
    });
    expect(first).toMatchObject({
      status: 'requires_input',
      last_error: { code: 'document_expired', reason: 'The document is expired.' },
    });
    expect(first.url).toBe(`${t.emulator.url}/verify/${vs.id}`);

    const second = await testHelper(t.stripe, vs.id, 'require_input', {
      last_error: { code: 'selfie_manipulated', reason: 'Custom reason' },
    });
    expect(second.last_error).toEqual({ code: 'selfie_manipulated', reason: 'Custom reason' });

    const third = await testHelper(t.stripe, vs.id, 'verify');
    expect(third).toMatchObject({ status: 'verified', last_error: null });

    const reports = [first, second, third].map((s) => s.last_verification_report);
    reports.forEach((id) => expect(id).toMatch(/^vr_/));
    expect(new Set(reports).size).toBe(3);
  });

  it('defaults the code to document_unverified_other', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const failed = await testHelper(t.stripe, vs.id, 'require_input');
    expect(failed.last_error?.code).toBe('document_unverified_other');
  });

  it('emits processing then the outcome, with increasing created, for every submission', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, vs.id, 'require_input', { last_error: { code: 'document_expired' } });
    await testHelper(t.stripe, vs.id, 'verify');
    const events = await sessionEvents(t.stripe, vs.id);
    expect(events.map((e) => e.type.replace('identity.verification_session.', ''))).toEqual([
      'created',
      'processing',
      'requires_input',
      'processing',
      'verified',
    ]);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.created).toBeGreaterThan(events[i - 1]!.created);
    const failed = events[2]!.data.object as Stripe.Identity.VerificationSession;
    expect(failed.last_error?.code).toBe('document_expired');
    expect(events[4]!.data.object).not.toHaveProperty('verified_outputs');
  });

  it('processing then verify completes that one submission without a second processing event', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    expect((await testHelper(t.stripe, vs.id, 'processing')).status).toBe('processing');
    await expect(testHelper(t.stripe, vs.id, 'processing')).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    await testHelper(t.stripe, vs.id, 'verify');
    const types = (await sessionEvents(t.stripe, vs.id)).map((e) => e.type);
    expect(types.filter((type) => type.endsWith('.processing'))).toHaveLength(1);
  });

  it('require_input on a verified session acts as a manual override without a processing event', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, vs.id, 'verify');
    const overridden = await testHelper(t.stripe, vs.id, 'require_input', {
      last_error: { code: 'selfie_manipulated' },
    });
    expect(overridden.status).toBe('requires_input');
    const types = (await sessionEvents(t.stripe, vs.id)).map((e) =>
      e.type.replace('identity.verification_session.', ''),
    );
    expect(types).toEqual(['created', 'processing', 'verified', 'requires_input']);
  });

  it('refuses helpers on a canceled session and on an unknown one', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await t.stripe.identity.verificationSessions.cancel(vs.id);
    await expect(testHelper(t.stripe, vs.id, 'verify')).rejects.toMatchObject({ statusCode: 400 });
    await expect(testHelper(t.stripe, vs.id, 'require_input')).rejects.toMatchObject({ statusCode: 400 });
    await expect(testHelper(t.stripe, 'vs_nope', 'verify')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    expect(t.emulator.state.reports.size).toBe(0);
  });

  it('the reports the helpers create can be retrieved', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({
      type: 'id_number',
      client_reference_id: 'u9',
    });
    const failed = await testHelper(t.stripe, vs.id, 'require_input', {
      last_error: { code: 'id_number_mismatch' },
    });
    const report = await t.stripe.identity.verificationReports.retrieve(
      failed.last_verification_report as string,
    );
    expect(report).toMatchObject({
      verification_session: vs.id,
      client_reference_id: 'u9',
      type: 'id_number',
      id_number: { status: 'unverified' },
    });
  });
});
