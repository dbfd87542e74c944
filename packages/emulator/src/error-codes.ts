/**
 * The failure codes a submission can end with, and a user-facing `reason` for each. The list is the
 * stripe-node `LastError.Code` enum (19 codes, reference §3.1) plus `address_mismatch`, which only the
 * "Handle verification outcomes" guide documents (§3.1 "Not in the stripe-node enum"). The reasons are the
 * API reference descriptions, phrased the way Stripe's `last_error.reason` examples are ("The document is
 * expired.").
 */
import type { KnownErrorCode } from '@idv-outcomes/stripe-identity/terms';

// Keyed by the shared list of known codes, so the emulator and idv-outcomes can never disagree.
export const FAILURE_REASONS = {
  abandoned: "The user began the verification but didn't submit it.",
  consent_declined: 'The user declined to be verified by Stripe.',
  country_not_supported: "Stripe doesn't verify users from the provided country.",
  device_not_supported:
    "The user's device didn't have a camera or they declined to grant Stripe permission to access it.",
  under_supported_age: "Stripe doesn't verify users under the age of majority.",
  document_expired: 'The document is expired.',
  document_type_not_supported: "The document isn't one of the session's allowed document types.",
  document_unverified_other: "Stripe couldn't verify the provided identity document.",
  selfie_document_missing_photo: "The document didn't contain a picture of a face.",
  selfie_face_mismatch: "The captured face didn't match the document's face.",
  selfie_manipulated: 'The captured face image was manipulated.',
  selfie_unverified_other: "Stripe couldn't verify the provided selfie.",
  id_number_insufficient_document_data:
    "The document didn't contain enough data to match against the ID number.",
  id_number_mismatch: "The information couldn't be matched against global databases.",
  id_number_unverified_other: "The information couldn't be verified.",
  email_unverified_other: 'Stripe was unable to verify the provided email address.',
  email_verification_declined: 'The user was unable to verify the provided email address.',
  phone_unverified_other: 'Stripe was unable to verify the provided phone number.',
  phone_verification_declined: 'The user was unable to verify the provided phone number.',
  address_mismatch: "The information provided couldn't be matched against global databases.",
} as const satisfies Record<KnownErrorCode, string>;

export type KnownFailureCode = keyof typeof FAILURE_REASONS;

export const FAILURE_CODES = Object.freeze(Object.keys(FAILURE_REASONS) as KnownFailureCode[]);

/** The test helper's default when no `last_error[code]` is given (brief; the most generic document failure). */
export const DEFAULT_FAILURE_CODE: KnownFailureCode = 'document_unverified_other';

/**
 * Codes are an open enum (reference §0 "Open enums"): an unknown code is accepted and gets a generic
 * reason, so consumers can test their default branch.
 */
export function reasonFor(code: string): string {
  return (FAILURE_REASONS as Record<string, string>)[code] ?? 'The verification could not be completed.';
}

/** Which check of a VerificationReport a code belongs to (reference §3.2 per-check error codes). */
export function checkOf(code: string): 'document' | 'selfie' | 'id_number' | 'email' | 'phone' | 'session' {
  for (const check of ['document', 'selfie', 'id_number', 'email', 'phone'] as const) {
    if (code.startsWith(`${check}_`)) return check;
  }
  return 'session';
}
