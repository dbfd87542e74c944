/**
 * The vocabulary of the domain: frozen lists of every name the rest of idv-outcomes may rely on
 * (event types, session statuses, subject states, error categories, callback types), and the types
 * derived from them. Kept in one file so that a new name is added in exactly one place and every
 * `switch` over these lists can be checked for exhaustiveness.
 *
 * Stripe's enums are open (reference section 0, "Open enums"): Stripe may send a `status` or a
 * `last_error.code` that is not listed here, so the Stripe-side types below accept any string, and
 * every consumer has a default branch. Our own names (subject states, categories, callback types) are
 * closed: they are the public contract of DESIGN.md "Interfaces".
 */

/** A string literal union that still accepts any other string (the stripe-node `OtherString` idiom). */
export type OpenString<T extends string> = T | (string & Record<never, never>);

/** The six Identity snapshot event types; there is no `.updated` and no report event (reference 2.3). */
export const IDENTITY_EVENT_TYPES = Object.freeze([
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.verified',
  'identity.verification_session.requires_input',
  'identity.verification_session.canceled',
  'identity.verification_session.redacted',
] as const);
export type IdentityEventType = (typeof IDENTITY_EVENT_TYPES)[number];

/** The four statuses stripe-node knows (reference 2.1); Stripe may add more. */
export const SESSION_STATUSES = Object.freeze([
  'requires_input',
  'processing',
  'verified',
  'canceled',
] as const);
export type KnownSessionStatus = (typeof SESSION_STATUSES)[number];
export type SessionStatus = OpenString<KnownSessionStatus>;

/** A subject is the application's user; its state is derived from all of its sessions (DESIGN.md). */
export const SUBJECT_STATES = Object.freeze([
  'unverified',
  'pending',
  'processing',
  'retry_required',
  'in_review',
  'verified',
  'rejected',
  'canceled',
] as const);
export type SubjectState = (typeof SUBJECT_STATES)[number];

/** What a failed check means for the user: fix and retry, use another method, a human looks, or final. */
export const ERROR_CATEGORIES = Object.freeze(['retry', 'alternative', 'review', 'reject'] as const);
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/**
 * Every `last_error.code` we know: the 19 of stripe-node's `LastError.Code` (identical from 14.25.0 to
 * 23.1.0) plus `address_mismatch`, which only the "Handle verification outcomes" guide lists
 * (reference 3.1). Any other code is accepted and categorised as unknown.
 */
export const KNOWN_ERROR_CODES = Object.freeze([
  'abandoned',
  'consent_declined',
  'country_not_supported',
  'device_not_supported',
  'under_supported_age',
  'document_expired',
  'document_type_not_supported',
  'document_unverified_other',
  'selfie_document_missing_photo',
  'selfie_face_mismatch',
  'selfie_manipulated',
  'selfie_unverified_other',
  'id_number_insufficient_document_data',
  'id_number_mismatch',
  'id_number_unverified_other',
  'email_unverified_other',
  'email_verification_declined',
  'phone_unverified_other',
  'phone_verification_declined',
  'address_mismatch',
] as const);
export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];
export type ErrorCode = OpenString<KnownErrorCode>;

/**
 * `VerificationSession.last_error`. Both fields are nullable in Stripe (reference 3.1); the parser
 * turns `{code: null, reason: null}` into `null`, so a non-null value always says something.
 * `reason` may be shown to the user; `code` drives the policy.
 */
export interface LastError {
  readonly code: ErrorCode | null;
  readonly reason: string | null;
}

/** The `type` of a callback to the application (DESIGN.md "Callbacks to the app"). */
export const CALLBACK_TYPES = Object.freeze([
  'verification.verified',
  'verification.retry_required',
  'verification.needs_review',
  'verification.rejected',
  'verification.canceled',
  'verification.redacted',
] as const);
export type CallbackType = (typeof CALLBACK_TYPES)[number];

/** The email templates a reaction may ask for. */
export const EMAIL_TOPICS = Object.freeze([
  'verified',
  'retry_required',
  'in_review',
  'alternative_method',
  'rejected',
] as const);
export type EmailTopic = (typeof EMAIL_TOPICS)[number];

/** The kinds of side effect the dispatcher runs (DESIGN.md "Processes and flow"). */
export const REACTION_KINDS = Object.freeze(['email', 'callback', 'review_case'] as const);
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** Manual review decisions an operator records (DESIGN.md "Interfaces", reviews decision). */
export const MANUAL_DECISIONS = Object.freeze(['approve', 'reject'] as const);
export type ManualDecisionKind = (typeof MANUAL_DECISIONS)[number];

/** Narrowing membership test for the frozen lists above. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
