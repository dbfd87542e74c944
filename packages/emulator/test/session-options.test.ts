import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulator, startTestEmulator, testHelper } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator({
    verificationFlows: { vf_selfie: { options: { document: { require_matching_selfie: true } } } },
  });
});
afterEach(() => t.emulator.close());

async function rawError(path: string, body: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.emulator.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_emulator',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('every create option is kept and comes back (reference §1, §8)', () => {
  it('returns related_customer_account, related_person, provided_details and email/phone options', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({
      type: 'id_number',
      related_customer: 'cus_1',
      related_customer_account: 'acct_customer_1',
      related_person: { account: 'acct_1', person: 'person_1' },
      provided_details: { email: 'a@example.com', phone: '+15555550100' },
      // Dropped from stripe-node's create types but still on the object (reference §8).
      options: { email: { require_verification: true }, phone: { require_verification: false } },
    } as Stripe.Identity.VerificationSessionCreateParams);
    const back = await t.stripe.identity.verificationSessions.retrieve(vs.id, {
      expand: ['provided_details'],
    });
    expect(back).toMatchObject({
      type: 'id_number',
      related_customer: 'cus_1',
      related_customer_account: 'acct_customer_1',
      related_person: { account: 'acct_1', person: 'person_1' },
      provided_details: { email: 'a@example.com', phone: '+15555550100' },
      options: { email: { require_verification: true }, phone: { require_verification: false } },
    });
    expect(back).not.toHaveProperty('verification_flow');
  });

  it('filters a list by related_customer_account', async () => {
    await t.stripe.identity.verificationSessions.create({
      type: 'document',
      related_customer_account: 'acct_a',
    });
    const b = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      related_customer_account: 'acct_b',
    });
    const listed = await t.stripe.identity.verificationSessions.list({ related_customer_account: 'acct_b' });
    expect(listed.data.map((s) => s.id)).toEqual([b.id]);
  });

  it('creates from a verification flow defined in the emulator options, with the flow’s checks', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ verification_flow: 'vf_selfie' });
    expect(vs).toMatchObject({
      type: 'verification_flow',
      verification_flow: 'vf_selfie',
      options: { document: { require_matching_selfie: true } },
    });
  });

  it('refuses an unknown flow naming verification_flow', async () => {
    const err = await t.stripe.identity.verificationSessions
      .create({ verification_flow: 'vf_nope' })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'verification_flow' });
  });

  it('answers parameters_exclusive for type with verification_flow, with no param or null code in the body', async () => {
    const res = await rawError(
      '/v1/identity/verification_sessions',
      'type=document&verification_flow=vf_selfie',
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameters_exclusive',
        message: 'You may only specify one of these parameters: type, verification_flow.',
      },
    });
  });

  it('requires both halves of related_person', async () => {
    const err = await t.stripe.identity.verificationSessions
      .create({ type: 'document', related_person: { account: 'acct_1' } as never })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(err).toMatchObject({ code: 'parameter_missing', param: 'related_person[person]' });
  });
});

describe('the verify helper reports the verified outputs it is given', () => {
  it('replaces the persona’s name, date of birth and country', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, vs.id, 'verify', {
      verified_outputs: {
        first_name: 'Ana',
        last_name: 'Müller',
        dob: { day: 29, month: 2, year: 2004 },
        address: { country: 'de' },
      },
    });
    const back = await t.restricted.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs', 'verified_outputs.dob'],
    });
    expect(back.verified_outputs).toMatchObject({
      first_name: 'Ana',
      last_name: 'Müller',
      dob: { day: 29, month: 2, year: 2004 },
      address: { country: 'DE', city: 'South San Francisco' },
    });
  });

  it('keeps the default persona without verified_outputs', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, vs.id, 'verify');
    const back = await t.stripe.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs'],
    });
    expect(back.verified_outputs).toMatchObject({ first_name: 'Jenny', last_name: 'Rosen' });
  });

  it('refuses half a date of birth, naming the field', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const err = await testHelper(t.stripe, vs.id, 'verify', {
      verified_outputs: { dob: { year: 1990 } },
    }).catch((e: Stripe.errors.StripeError) => e);
    expect(err).toMatchObject({ statusCode: 400, param: 'verified_outputs[dob]' });
  });
});

describe('sensitive outputs after the 48-hour window (reference §1) [assumed answer]', () => {
  it('still reads the name but answers 403 for dob once told the window has passed', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, vs.id, 'verify');
    await testHelper(t.stripe, vs.id, 'expire_sensitive_outputs');
    const plain = await t.restricted.identity.verificationSessions.retrieve(vs.id, {
      expand: ['verified_outputs'],
    });
    expect(plain.verified_outputs?.first_name).toBe('Jenny');
    const err = await t.restricted.identity.verificationSessions
      .retrieve(vs.id, { expand: ['verified_outputs', 'verified_outputs.dob'] })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(err).toMatchObject({ statusCode: 403, code: 'sensitive_data_access_expired', param: 'expand' });
  });
});

describe('verification reports (reference §3.2, §2.2)', () => {
  it('lists reports newest first, filtered by session', async () => {
    const a = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'ra',
    });
    const b = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, a.id, 'require_input', { last_error: { code: 'document_expired' } });
    await testHelper(t.stripe, a.id, 'verify');
    await testHelper(t.stripe, b.id, 'verify');
    const ofA = await t.stripe.identity.verificationReports.list({ verification_session: a.id });
    expect(ofA.data.map((r) => r.verification_session)).toEqual([a.id, a.id]);
    const latest = await t.stripe.identity.verificationSessions.retrieve(a.id);
    expect(ofA.data[0]!.id).toBe(latest.last_verification_report);
    expect(
      (await t.stripe.identity.verificationReports.list({ client_reference_id: 'ra' })).data,
    ).toHaveLength(2);
    expect((await t.stripe.identity.verificationReports.list({ limit: 100 })).data).toHaveLength(3);
  });

  it('redacts the reports with their session', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const verified = await testHelper(t.stripe, vs.id, 'verify');
    const reportId = verified.last_verification_report as string;
    expect((await t.stripe.identity.verificationReports.retrieve(reportId)).document?.first_name).toBe(
      'Jenny',
    );
    await t.stripe.identity.verificationSessions.redact(vs.id);
    for (let i = 0; i < 100; i++) {
      const session = await t.stripe.identity.verificationSessions.retrieve(vs.id);
      if (session.redaction?.status === 'redacted') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const report = await t.stripe.identity.verificationReports.retrieve(reportId);
    expect(report.document).toMatchObject({ first_name: '[redacted]', last_name: '[redacted]' });
  });
});
