/**
 * Builds realistic Identity events (reference Appendix A) and signs them with stripe-node itself, so the
 * receiver is tested against the real signer rather than our own.
 */
import Stripe from 'stripe';

export const stripe = new Stripe('sk_test_idv_tests', { telemetry: false });

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}_test_${Date.now().toString(36)}${process.pid.toString(36)}${counter.toString(36).padStart(5, '0')}`;
}

export interface SessionEventSpec {
  type: string;
  id?: string;
  created?: number;
  sessionId?: string;
  subject?: string | null;
  status?: string;
  code?: string | null;
  reason?: string | null;
  reportId?: string | null;
  livemode?: boolean;
  email?: string;
}

const STATUS_BY_TYPE: Record<string, string> = {
  'identity.verification_session.created': 'requires_input',
  'identity.verification_session.processing': 'processing',
  'identity.verification_session.verified': 'verified',
  'identity.verification_session.requires_input': 'requires_input',
  'identity.verification_session.canceled': 'canceled',
  'identity.verification_session.redacted': 'canceled',
};

export function sessionEvent(spec: SessionEventSpec): Record<string, unknown> {
  const created = spec.created ?? Math.floor(Date.now() / 1000);
  const status = spec.status ?? STATUS_BY_TYPE[spec.type] ?? 'requires_input';
  const failed = spec.type === 'identity.verification_session.requires_input';
  const code = spec.code === undefined ? (failed ? 'document_unverified_other' : null) : spec.code;
  const subject = spec.subject === undefined ? 'user_42' : spec.subject;
  return {
    id: spec.id ?? uniqueId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    data: {
      object: {
        id: spec.sessionId ?? 'vs_test_0001',
        object: 'identity.verification_session',
        client_reference_id: subject,
        client_secret: null,
        created: created - 100,
        last_error: code ? { code, reason: spec.reason ?? `Reason for ${code}.` } : null,
        last_verification_report:
          spec.reportId === undefined
            ? failed || status === 'verified'
              ? uniqueId('vr')
              : null
            : spec.reportId,
        livemode: spec.livemode ?? false,
        metadata: subject ? { user_id: subject } : {},
        options: { document: { require_matching_selfie: true } },
        provided_details: spec.email ? { email: spec.email } : null,
        redaction: spec.type === 'identity.verification_session.redacted' ? { status: 'redacted' } : null,
        status,
        type: 'document',
        url: status === 'requires_input' ? 'https://verify.stripe.com/start/test_x' : null,
      },
    },
    livemode: spec.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: spec.type,
  };
}

export function signedRequest(
  event: unknown,
  secret: string,
  options: { timestamp?: number } = {},
): { body: string; headers: Record<string, string> } {
  const body = typeof event === 'string' ? event : JSON.stringify(event, null, 2);
  const header = stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: options.timestamp,
  });
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header } };
}

export async function postSigned(
  url: string,
  event: unknown,
  secret: string,
  options: { timestamp?: number } = {},
): Promise<Response> {
  const { body, headers } = signedRequest(event, secret, options);
  return fetch(`${url}/webhook`, { method: 'POST', headers, body });
}
