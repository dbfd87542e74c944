/**
 * The vocabulary of the domain: frozen lists of every name the rest of idv-outcomes may rely on
 * (event types, session statuses, subject states, error categories, callback types), and the types
 * derived from them. Kept in one file so that a new name is added in exactly one place and every
 * `switch` over these lists can be checked for exhaustiveness. The Stripe-side lists (event types,
 * session statuses, error codes) are defined in packages/stripe-identity and re-exported here.
 *
 * Stripe's enums are open (reference section 0, "Open enums"): Stripe may send a `status` or a
 * `last_error.code` that is not listed here, so the Stripe-side types below accept any string, and
 * every consumer has a default branch. Our own names (subject states, categories, callback types) are
 * closed: they are the public contract of DESIGN.md "Interfaces".
 */

// The Stripe-side lists are shared with the emulator (packages/stripe-identity); `/terms` imports nothing,
// so the domain stays free of I/O modules.
import type { KnownErrorCode, KnownSessionStatus } from '@idv-outcomes/stripe-identity/terms';

export {
  IDENTITY_EVENT_TYPES,
  KNOWN_ERROR_CODES,
  SESSION_STATUSES,
  type IdentityEventType,
  type KnownErrorCode,
  type KnownSessionStatus,
} from '@idv-outcomes/stripe-identity/terms';

/** A string literal union that still accepts any other string (the stripe-node `OtherString` idiom). */
export type OpenString<T extends string> = T | (string & Record<never, never>);

export type SessionStatus = OpenString<KnownSessionStatus>;
export type ErrorCode = OpenString<KnownErrorCode>;

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
export const REACTION_KINDS = Object.freeze(['email', 'callback', 'review_case', 'compare_outputs'] as const);
export type ReactionKind = (typeof REACTION_KINDS)[number];

/**
 * Manual review decisions an operator records (DESIGN.md "Interfaces", reviews decision). `retry` grants
 * one more attempt instead of deciding: the subject goes back to `retry_required`.
 */
export const MANUAL_DECISIONS = Object.freeze(['approve', 'reject', 'retry'] as const);
export type ManualDecisionKind = (typeof MANUAL_DECISIONS)[number];

/** Narrowing membership test for the frozen lists above. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
