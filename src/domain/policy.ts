/**
 * The outcome policy: what each `last_error.code` means for the user (its category), how many failed
 * submissions a subject may use, and where an exhausted subject goes. `DEFAULT_POLICY` is DESIGN.md
 * "Error codes" verbatim; `parsePolicy` validates an operator's overrides (an already-parsed object —
 * reading and YAML parsing belong to config/) and names the exact key that is wrong.
 *
 * Codes are an open enum (reference 0): a policy may categorise codes we do not know yet, and a code
 * nobody categorised goes to review, the safe side for a possible fraud signal.
 */
import { parseSessionDefaults, SessionRequestError, type SessionDefaults } from './session-request.js';
import { ERROR_CATEGORIES, isOneOf } from './terms.js';
import { parseVerifiedOutputsPolicy, type VerifiedOutputsPolicy } from './match-outcome.js';
import type { ErrorCategory, KnownErrorCode } from './terms.js';

/** Where a subject goes once its failed submissions reach `maxAttempts`. */
export const EXHAUSTED_OUTCOMES = Object.freeze(['review', 'alternative', 'reject'] as const);
export type ExhaustedOutcome = (typeof EXHAUSTED_OUTCOMES)[number];

export interface Policy {
  readonly maxAttempts: number;
  /** Category per code; codes not listed use `unknownCategory`. */
  readonly categories: Readonly<Record<string, ErrorCategory>>;
  readonly unknownCategory: ErrorCategory;
  readonly exhausted: ExhaustedOutcome;
  /** Defaults of every session idv creates (`session` key; session-request.ts); absent: `type: document`. */
  readonly session?: SessionDefaults;
  /** What a comparison of verified outputs decides (`verified_outputs` key; match-outcome.ts); absent: review/review. */
  readonly verifiedOutputs?: VerifiedOutputsPolicy;
}

export const MAX_ATTEMPTS_LIMIT = 20;

/** The default category of every known code (DESIGN.md "Error codes"; reference 3.1 for the list). */
export const DEFAULT_CATEGORIES: Readonly<Record<KnownErrorCode, ErrorCategory>> = Object.freeze({
  // retry: the user can fix it.
  document_expired: 'retry',
  document_type_not_supported: 'retry',
  document_unverified_other: 'retry',
  selfie_document_missing_photo: 'retry',
  selfie_face_mismatch: 'retry',
  selfie_unverified_other: 'retry',
  id_number_insufficient_document_data: 'retry',
  id_number_unverified_other: 'retry',
  id_number_mismatch: 'retry',
  abandoned: 'retry',
  device_not_supported: 'retry',
  email_unverified_other: 'retry',
  email_verification_declined: 'retry',
  phone_unverified_other: 'retry',
  phone_verification_declined: 'retry',
  // alternative: retrying the same method will not help; offer another one (subject goes to in_review).
  consent_declined: 'alternative',
  country_not_supported: 'alternative',
  address_mismatch: 'alternative',
  // review: a fraud signal, no automatic retry.
  selfie_manipulated: 'review',
  // reject: final.
  under_supported_age: 'reject',
});

export const DEFAULT_POLICY: Policy = Object.freeze({
  maxAttempts: 3,
  categories: DEFAULT_CATEGORIES,
  unknownCategory: 'review',
  exhausted: 'review',
});

/** The category of a code under a policy; unknown codes get `policy.unknownCategory` (review). */
export function categorize(policy: Policy, code: string): ErrorCategory {
  // Own properties only: a code such as `constructor` must not pick up Object.prototype.
  return Object.hasOwn(policy.categories, code)
    ? (policy.categories[code] ?? policy.unknownCategory)
    : policy.unknownCategory;
}

/** A policy object that failed validation; `path` is the offending key, e.g. `categories.document_expired`. */
export class PolicyError extends Error {
  readonly path: string;

  constructor(path: string, expected: string) {
    super(`${path}: ${expected}`);
    this.name = 'PolicyError';
    this.path = path;
  }
}

const TOP_LEVEL_KEYS = ['max_attempts', 'categories', 'exhausted', 'session', 'verified_outputs'] as const;
const CODE_PATTERN = /^[a-z][a-z0-9_]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : String(value);
}

function parseMaxAttempts(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new PolicyError(
      'max_attempts',
      `expected an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${describe(value)}`,
    );
  }
  return value;
}

function parseCategories(value: unknown): Readonly<Record<string, ErrorCategory>> {
  if (!isPlainObject(value)) {
    throw new PolicyError('categories', `expected a map of error code to category, got ${describe(value)}`);
  }
  const merged: Record<string, ErrorCategory> = { ...DEFAULT_CATEGORIES };
  for (const [code, category] of Object.entries(value)) {
    if (!CODE_PATTERN.test(code)) {
      throw new PolicyError(
        `categories.${code}`,
        'expected an error code of lowercase letters, digits and _',
      );
    }
    if (!isOneOf(ERROR_CATEGORIES, category)) {
      throw new PolicyError(
        `categories.${code}`,
        `expected one of ${ERROR_CATEGORIES.join(', ')}, got ${describe(category)}`,
      );
    }
    merged[code] = category;
  }
  return Object.freeze(merged);
}

function parseExhausted(value: unknown): ExhaustedOutcome {
  if (!isOneOf(EXHAUSTED_OUTCOMES, value)) {
    throw new PolicyError(
      'exhausted',
      `expected one of ${EXHAUSTED_OUTCOMES.join(', ')}, got ${describe(value)}`,
    );
  }
  return value;
}

function parseSession(value: unknown): SessionDefaults {
  try {
    return parseSessionDefaults(value);
  } catch (err) {
    if (err instanceof SessionRequestError)
      throw new PolicyError(err.param, err.message.slice(err.param.length + 2));
    throw err;
  }
}

/**
 * Validates an operator's policy `{ max_attempts?, categories?, exhausted?, session?, verified_outputs? }` and merges it onto
 * {@link DEFAULT_POLICY}. `null`/`undefined` (an empty file) means the defaults. Unknown keys are
 * rejected so a typo is an error, not a silently ignored setting. The result is frozen.
 */
export function parsePolicy(input: unknown): Policy {
  if (input === undefined || input === null) return DEFAULT_POLICY;
  if (!isPlainObject(input)) throw new PolicyError('(policy)', `expected an object, got ${describe(input)}`);
  for (const key of Object.keys(input)) {
    if (!isOneOf(TOP_LEVEL_KEYS, key)) {
      throw new PolicyError(key, `unknown key; expected one of ${TOP_LEVEL_KEYS.join(', ')}`);
    }
  }
  return Object.freeze({
    maxAttempts:
      input['max_attempts'] === undefined
        ? DEFAULT_POLICY.maxAttempts
        : parseMaxAttempts(input['max_attempts']),
    categories:
      input['categories'] === undefined ? DEFAULT_POLICY.categories : parseCategories(input['categories']),
    unknownCategory: DEFAULT_POLICY.unknownCategory,
    exhausted:
      input['exhausted'] === undefined ? DEFAULT_POLICY.exhausted : parseExhausted(input['exhausted']),
    ...(input['session'] === undefined ? {} : { session: parseSession(input['session']) }),
    ...(input['verified_outputs'] === undefined
      ? {}
      : {
          verifiedOutputs: parseVerifiedOutputsPolicy(input['verified_outputs'], (path, expected) => {
            throw new PolicyError(path, expected);
          }),
        }),
  });
}
