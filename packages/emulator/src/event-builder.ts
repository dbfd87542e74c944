/**
 * Builds Event objects (reference §4): `{id, object: 'event', api_version, created, data: {object},
 * livemode, pending_webhooks, request, type}`. Used by the emulator for every state change and by
 * `idv trigger` to fabricate a realistic event without an emulator (§10: the Stripe CLI cannot trigger
 * `verified`, `processing` or `requires_input`, so idv offers it).
 */
import { DEFAULT_FAILURE_CODE, reasonFor } from './error-codes.js';
import type { IdentityEventType } from './event-types.js';
import { newClientSecret, newId } from './ids.js';
import type { EventObject, RequestInfo, EmulatedSession } from './model.js';
import { renderSession } from './session-render.js';

/** The version stripe-node 23.1.0 pins and sends (reference §0, §9); events are rendered in it. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';

export interface EventInput {
  type: IdentityEventType;
  object: Record<string, unknown>;
  createdSec: number;
  request: RequestInfo;
  pendingWebhooks?: number;
  apiVersion?: string;
  id?: string;
}

export function buildEvent(input: EventInput): EventObject {
  return {
    id: input.id ?? newId('evt'),
    object: 'event',
    api_version: input.apiVersion ?? DEFAULT_API_VERSION,
    created: input.createdSec,
    data: { object: input.object },
    livemode: false,
    pending_webhooks: input.pendingWebhooks ?? 0,
    request: { ...input.request },
    type: input.type,
  };
}

export interface TriggerEventInput {
  type: IdentityEventType;
  nowSec: number;
  /** `last_error.code` for requires_input; default `document_unverified_other`. */
  code?: string;
  /** The app's user: goes to `metadata.user_id` and `client_reference_id`. */
  subject?: string;
  sessionId?: string;
  /** Base of the session `url` while requires_input. */
  hostedBaseUrl?: string;
}

/**
 * A realistic single event for one of the six types, with a session snapshot in the state that type
 * implies: requires_input carries `last_error` {code, reason} and a fresh `vr_` report id (one report per
 * processed submission, §3.2); verified has a report and no error; redacted has `metadata` erased and
 * `redaction.status = 'redacted'` (§2.2).
 */
export function buildTriggerEvent(input: TriggerEventInput): EventObject {
  const subject = input.subject ?? 'user_123';
  const id = input.sessionId ?? newId('vs');
  const session: EmulatedSession = {
    id,
    seq: 0,
    created: input.nowSec - 60,
    type: 'document',
    status: 'requires_input',
    client_reference_id: subject,
    client_secret: newClientSecret(id),
    metadata: { user_id: subject },
    options: {
      document: { allowed_types: ['driving_license', 'passport', 'id_card'], require_matching_selfie: true },
    },
    provided_details: null,
    related_customer: null,
    related_customer_account: null,
    related_person: null,
    verification_flow: null,
    return_url: null,
    last_error: null,
    last_verification_report: null,
    redaction: null,
    verified_outputs: null,
    sensitive_outputs_readable: true,
  };
  switch (input.type) {
    case 'identity.verification_session.created':
      session.created = input.nowSec;
      break;
    case 'identity.verification_session.processing':
      session.status = 'processing';
      break;
    case 'identity.verification_session.verified':
      session.status = 'verified';
      session.last_verification_report = newId('vr');
      break;
    case 'identity.verification_session.requires_input': {
      const code = input.code ?? DEFAULT_FAILURE_CODE;
      session.last_error = { code, reason: reasonFor(code) };
      session.last_verification_report = newId('vr');
      break;
    }
    case 'identity.verification_session.canceled':
      session.status = 'canceled';
      break;
    case 'identity.verification_session.redacted':
      session.status = 'canceled';
      session.metadata = {};
      session.redaction = { status: 'redacted' };
      break;
  }
  const object = renderSession(session, {
    baseUrl: input.hostedBaseUrl ?? 'http://127.0.0.1:12111',
    expand: [],
    keyKind: 'secret',
    findReport: () => undefined,
  });
  return buildEvent({
    type: input.type,
    object,
    createdSec: input.nowSec,
    request: { id: null, idempotency_key: null },
    pendingWebhooks: 1,
  });
}
