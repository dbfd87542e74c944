/**
 * Realistic Identity events for the benchmark, built like test/helpers/stripe-events.ts (reference Appendix A
 * plus the fields a real VerificationSession carries, so a pretty-printed event is ~2 KB as Stripe sends it) and
 * signed with stripe-node's own test signer.
 *
 * Events come in session lifecycles — created, processing, then verified, or requires_input followed by a
 * second attempt that verifies — so the worker does the same work it does in production: new sessions, state
 * changes, subjects linked through client_reference_id, the occasional second session for a user.
 */
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_idv_bench', { telemetry: false });

const STATUS_BY_TYPE = {
  'identity.verification_session.created': 'requires_input',
  'identity.verification_session.processing': 'processing',
  'identity.verification_session.verified': 'verified',
  'identity.verification_session.requires_input': 'requires_input',
};

const FAILURES = [
  ['document_expired', 'The document is expired.'],
  ['document_unverified_other', 'The document could not be verified.'],
  ['selfie_face_mismatch', 'The selfie does not match the face on the document.'],
];

function sessionEvent({ id, type, sessionId, subject, created, attempt, failure }) {
  const status = STATUS_BY_TYPE[type];
  const failed = type === 'identity.verification_session.requires_input';
  const reported = failed || status === 'verified';
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    data: {
      object: {
        id: sessionId,
        object: 'identity.verification_session',
        client_reference_id: subject,
        client_secret: null,
        created: created - 100,
        last_error: failed ? { code: failure[0], reason: failure[1] } : null,
        last_verification_report: reported ? `vr_${sessionId.slice(3)}_${attempt}` : null,
        livemode: false,
        metadata: {
          user_id: subject,
          signup_source: 'web-checkout',
          plan: 'marketplace-seller',
          region: 'eu-west',
          requested_by: 'onboarding-service@2.14.3',
          correlation_id: `corr_${sessionId.slice(3)}`,
          account_id: `acct_${subject.slice(5)}`,
          locale: 'de-DE',
          onboarding_step: 'identity',
          return_url: `https://app.example.test/onboarding/identity/return?session=${sessionId}&step=identity`,
          experiment: 'idv-copy-2026-q3:variant-b',
        },
        options: {
          document: {
            allowed_types: ['driving_license', 'passport', 'id_card'],
            require_id_number: false,
            require_live_capture: true,
            require_matching_selfie: true,
          },
        },
        provided_details: { email: `${subject}@example.test` },
        redaction: null,
        related_customer: null,
        related_customer_account: null,
        related_person: null,
        status,
        type: 'document',
        url:
          status === 'requires_input' ? `https://verify.stripe.com/start/test_${sessionId.slice(3)}` : null,
        verification_flow: null,
        verified_outputs: null,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/**
 * `count` distinct events whose ids and sessions carry `tag`, so pools built for different runs never share
 * an id. Returns { id, type, created, sessionId, payload } with payload the exact JSON Stripe would send.
 */
export function buildEvents(count, tag) {
  const events = [];
  const created = Math.floor(Date.now() / 1000);
  let session = 0;
  while (events.length < count) {
    session += 1;
    const sessionId = `vs_${tag}_${session.toString(36)}`;
    // One user in ten starts a second session; the others verify once.
    const subject = `user_${tag}_${(session % 10 === 0 ? session - 1 : session).toString(36)}`;
    const fails = session % 4 === 0;
    const types = fails
      ? ['created', 'processing', 'requires_input', 'processing', 'verified']
      : ['created', 'processing', 'verified'];
    let attempt = 1;
    for (const [i, short] of types.entries()) {
      if (events.length >= count) break;
      const type = `identity.verification_session.${short}`;
      const id = `evt_${tag}_${session.toString(36)}_${i}`;
      const failure = FAILURES[session % FAILURES.length];
      const event = sessionEvent({ id, type, sessionId, subject, created: created + i, attempt, failure });
      if (short === 'requires_input') attempt += 1;
      events.push({ id, type, created: created + i, sessionId, payload: JSON.stringify(event, null, 2) });
    }
  }
  return events;
}

/** The Stripe-Signature header for `payload`, from stripe-node's test signer (the one the docs recommend). */
export function sign(payload, secret, timestamp = Math.floor(Date.now() / 1000)) {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/**
 * Whole HTTP/1.1 requests, ready to write to a socket: the headers Stripe sends, a fresh signature, the body.
 * Built once before a run so the load generator spends its core on sending, not on HMACs.
 */
export function signedRequests(events, secret, hostPort) {
  const timestamp = Math.floor(Date.now() / 1000);
  const fixed =
    `POST /webhook HTTP/1.1\r\nHost: ${hostPort}\r\n` +
    'User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\n' +
    'Accept: */*; q=0.5, application/xml\r\nCache-Control: no-cache\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n';
  return events.map((event) =>
    Buffer.from(
      `${fixed}Stripe-Signature: ${sign(event.payload, secret, timestamp)}\r\n` +
        `Content-Length: ${Buffer.byteLength(event.payload)}\r\n\r\n${event.payload}`,
    ),
  );
}
