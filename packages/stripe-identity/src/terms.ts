/**
 * The Stripe Identity names both idv-outcomes and its emulator rely on: the snapshot event types, the session
 * statuses and the `last_error.code` values stripe-node knows. They live here, outside both, so the service
 * and the emulator cannot drift apart on a name; this file imports nothing.
 *
 * Stripe's enums are open (reference section 0, "Open enums"): these lists say what is known, not what may
 * arrive, so a consumer still needs a default branch.
 */

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
