/**
 * The records the emulator keeps, named `Emulated…` so they never read as idv-outcomes' own records of the
 * same objects. Field names and value types follow the stripe-node 23.1.0 declarations
 * (reference §1 VerificationSession, §3.2 VerificationReport, §4 Event, §7 WebhookEndpoint) so a record
 * renders to the wire shape with little translation. `seq` is a global creation counter: `created` is in
 * seconds and objects created in the same second must still list newest first (§4 "do not use created to
 * order events").
 */
import { SESSION_STATUSES, type KnownSessionStatus } from '@idv-outcomes/stripe-identity/terms';

// The emulator only ever produces the four statuses stripe-node knows.
export { SESSION_STATUSES, type KnownSessionStatus };

export type SessionType = 'document' | 'id_number' | 'verification_flow';
export type DocumentType = 'driving_license' | 'id_card' | 'passport';

export interface DocumentOptions {
  allowed_types?: DocumentType[];
  require_id_number?: boolean;
  require_live_capture?: boolean;
  require_matching_selfie?: boolean;
}

/** `options` as kept and returned; `email`/`phone` appear on the object (reference §1 `options`). */
export interface SessionOptions {
  document?: DocumentOptions;
  email?: { require_verification?: boolean };
  phone?: { require_verification?: boolean };
}

export interface RelatedPerson {
  account: string;
  person: string;
}

export interface EmulatedLastError {
  code: string | null;
  reason: string | null;
}

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface DateParts {
  day: number | null;
  month: number | null;
  year: number | null;
}

/** All of VerifiedOutputs, including the restricted-key fields; rendering decides what a caller sees. */
export interface VerifiedOutputs {
  address: Address | null;
  dob: DateParts | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  id_number: string | null;
  id_number_type: 'br_cpf' | 'sg_nric' | 'us_ssn' | null;
  phone: string | null;
  sex: '[redacted]' | 'female' | 'male' | 'unknown' | null;
  unparsed_place_of_birth: string | null;
  unparsed_sex: string | null;
}

export interface ProvidedDetails {
  email?: string;
  phone?: string;
}

export type RedactionStatus = 'processing' | 'redacted';

export interface EmulatedSession {
  id: string;
  seq: number;
  created: number;
  type: SessionType;
  status: KnownSessionStatus;
  client_reference_id: string | null;
  client_secret: string;
  metadata: Record<string, string>;
  options: SessionOptions;
  provided_details: ProvidedDetails | null;
  related_customer: string | null;
  related_customer_account: string | null;
  related_person: RelatedPerson | null;
  verification_flow: string | null;
  return_url: string | null;
  last_error: EmulatedLastError | null;
  last_verification_report: string | null;
  redaction: { status: RedactionStatus } | null;
  verified_outputs: VerifiedOutputs | null;
  /**
   * False once a test helper said the 48-hour window of sensitive outputs has passed (reference §1
   * "Sensitive-data access rules"); expanding them then answers 403 [assumed: Stripe's exact answer is
   * not documented].
   */
  sensitive_outputs_readable: boolean;
}

export interface EmulatedReport {
  id: string;
  seq: number;
  created: number;
  session_id: string;
  client_reference_id: string | null;
  type: SessionType;
  options: SessionOptions;
  outcome: 'verified' | 'unverified';
  error: EmulatedLastError | null;
  /** Redacted with its session (reference §2.2 "Related VerificationReports … are also redacted"). */
  redacted: boolean;
}

export interface EventObject {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface EmulatedEvent {
  seq: number;
  event: EventObject;
}

export interface EmulatedEndpoint {
  id: string;
  seq: number;
  created: number;
  url: string;
  enabled_events: string[];
  api_version: string | null;
  description: string | null;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  secret: string;
  /** Created with `connect: true` (reference §7): receives events of connected accounts only. */
  connect: boolean;
}

/** The request that caused an event (`event.request`, reference §4); null fields for automatic events. */
export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

export const AUTOMATIC_REQUEST: RequestInfo = Object.freeze({ id: null, idempotency_key: null });
