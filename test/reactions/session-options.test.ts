import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { API_TOKEN, startTestService, type TestService } from '../helpers/service.js';
import { uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'sk_test_idv_session_options';

let emulator: Emulator;
let stripe: Stripe;
let service: TestService;
const temp = tempDir();

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    verificationFlows: { vf_selfie: { options: { document: { require_matching_selfie: true } } } },
  });
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const policyFile = join(temp.dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      session: {
        options: { document: { require_live_capture: true, allowed_types: ['passport'] } },
        return_url: 'https://app.test/default-return',
      },
    }),
  );
  service = await startTestService({
    STRIPE_SECRET_KEY: KEY,
    STRIPE_API_BASE: emulator.url,
    IDV_POLICY: policyFile,
  });
});
afterAll(async () => {
  await service.stop();
  await emulator.close();
  temp.cleanup();
});

async function requestSession(ref: string, body: Record<string, unknown>) {
  const res = await fetch(`${service.url}/v1/subjects/${ref}/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      session_id: string;
      error?: { code: string; param?: string; message: string };
    },
  };
}

function atStripe(id: string) {
  return stripe.identity.verificationSessions.retrieve(id, { expand: ['provided_details'] });
}

describe('POST /v1/subjects/:ref/sessions takes what Stripe takes', () => {
  it('sends every create option to Stripe, and each comes back on retrieve', async () => {
    const ref = uniqueId('user');
    const { status, body } = await requestSession(ref, {
      type: 'document',
      options: {
        document: {
          allowed_types: ['driving_license', 'id_card'],
          require_id_number: true,
          require_live_capture: true,
          require_matching_selfie: true,
        },
        email: { require_verification: true },
        phone: { require_verification: true },
      },
      provided_details: { email: 'jenny@example.com', phone: '+15555550100' },
      related_customer: 'cus_123',
      related_customer_account: 'acct_customer9',
      related_person: { account: 'acct_123', person: 'person_456' },
      return_url: 'https://app.test/done',
    });
    expect(status).toBe(201);
    const vs = await atStripe(body.session_id);
    expect(vs).toMatchObject({
      type: 'document',
      client_reference_id: ref,
      metadata: { user_id: ref },
      options: {
        document: {
          allowed_types: ['driving_license', 'id_card'],
          require_id_number: true,
          require_live_capture: true,
          require_matching_selfie: true,
        },
        email: { require_verification: true },
        phone: { require_verification: true },
      },
      provided_details: { email: 'jenny@example.com', phone: '+15555550100' },
      related_customer: 'cus_123',
      related_customer_account: 'acct_customer9',
      related_person: { account: 'acct_123', person: 'person_456' },
    });
  });

  it('fills the policy file’s session defaults and the app’s email into provided_details', async () => {
    const ref = uniqueId('user');
    const { status, body } = await requestSession(ref, { email: `${ref}@example.test` });
    expect(status).toBe(201);
    const vs = await atStripe(body.session_id);
    expect(vs.type).toBe('document');
    expect(vs.options).toEqual({ document: { require_live_capture: true, allowed_types: ['passport'] } });
    expect(vs.provided_details).toEqual({ email: `${ref}@example.test` });
  });

  it('drops the document defaults for an id_number session', async () => {
    const { body } = await requestSession(uniqueId('user'), { type: 'id_number' });
    const vs = await atStripe(body.session_id);
    expect(vs).toMatchObject({ type: 'id_number', options: {} });
  });

  it('creates from a Dashboard verification flow', async () => {
    const { status, body } = await requestSession(uniqueId('user'), { verification_flow: 'vf_selfie' });
    expect(status).toBe(201);
    const vs = await atStripe(body.session_id);
    expect(vs).toMatchObject({
      type: 'verification_flow',
      verification_flow: 'vf_selfie',
      options: { document: { require_matching_selfie: true } },
    });
  });

  it.each([
    [{ type: 'selfie' }, 'type'],
    [{ type: 'document', verification_flow: 'vf_selfie' }, 'verification_flow'],
    [{ options: { document: { allowed_types: ['visa'] } } }, 'options.document.allowed_types[0]'],
    [
      { options: { document: { require_matching_selfie: 'yes' } } },
      'options.document.require_matching_selfie',
    ],
    [{ options: { selfie: {} } }, 'options.selfie'],
    [{ provided_details: { phone: '555-0100' } }, 'provided_details.phone'],
    [{ related_customer: 'user_1' }, 'related_customer'],
    [{ related_person: { account: 'acct_1' } }, 'related_person.person'],
    [{ return_url: 'javascript:alert(1)' }, 'return_url'],
    [{ colour: 'blue' }, 'colour'],
  ])('answers 400 naming the field for %j', async (input, param) => {
    const { status, body } = await requestSession(uniqueId('user'), input);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_request', param });
    expect(body.error?.message).toContain(param);
  });
});
