/**
 * What the comparison of a verified session's outputs with the app's expected data (verified-match.ts)
 * does to the subject, under the policy's `verified_outputs` key:
 *
 * - `pending` (the session is verified, the comparison not done yet): the subject stays `processing`, so
 *   nothing is announced before the comparison decides (the outcome is announced once).
 * - `matched` / `not_checked`: verified, as without expected data.
 * - `mismatched`: `on_mismatch` — `review` (default) → in_review, reason `verified_data_mismatch: <fields>`,
 *   a review case is opened; `reject` → rejected; `accept` → verified.
 * - `unavailable` (Stripe no longer lets idv read a field, the key lacks the permission, or fetching kept
 *   failing): `on_unavailable` — `review` (default) → in_review, reason `verified_data_unavailable: …`;
 *   `accept` → verified.
 *
 * Pure; the match carries no personal values, only per-field results.
 */
import { MATCH_FIELDS, type MatchField, type MatchResult, type MatchStatus } from './verified-match.js';
import { isOneOf } from './terms.js';

export const MISMATCH_ACTIONS = Object.freeze(['review', 'reject', 'accept'] as const);
export type MismatchAction = (typeof MISMATCH_ACTIONS)[number];
export const UNAVAILABLE_ACTIONS = Object.freeze(['review', 'accept'] as const);
export type UnavailableAction = (typeof UNAVAILABLE_ACTIONS)[number];

export interface VerifiedOutputsPolicy {
  readonly onMismatch: MismatchAction;
  readonly onUnavailable: UnavailableAction;
}

export const DEFAULT_VERIFIED_OUTPUTS_POLICY: VerifiedOutputsPolicy = Object.freeze({
  onMismatch: 'review',
  onUnavailable: 'review',
});

/** The state of one session's comparison, as stored (no personal values). */
export interface SessionMatch {
  readonly status: 'pending' | MatchStatus;
  /** null while pending. */
  readonly fields: Readonly<Record<MatchField, MatchResult>> | null;
  /** When the comparison was done, ms since the epoch; null while pending. */
  readonly checkedAt: number | null;
  /** Why fields are unavailable (`permission`, `expired`, `fetch_failed`, `no_outputs`); never personal. */
  readonly reason: string | null;
}

export const PENDING_MATCH: SessionMatch = Object.freeze({
  status: 'pending',
  fields: null,
  checkedAt: null,
  reason: null,
});

/** The fields with a given result, in MATCH_FIELDS order. */
export function fieldsWith(match: SessionMatch, result: MatchResult): MatchField[] {
  return MATCH_FIELDS.filter((f) => match.fields?.[f] === result);
}

export type MatchVerdict =
  | { readonly kind: 'hold' }
  | { readonly kind: 'verified' }
  | { readonly kind: 'in_review' | 'rejected'; readonly code: string; readonly detail: string };

/** What a verified session's match means for its subject under the policy. */
export function matchVerdict(match: SessionMatch | undefined, policy: VerifiedOutputsPolicy): MatchVerdict {
  if (match === undefined) return { kind: 'verified' };
  switch (match.status) {
    case 'pending':
      return { kind: 'hold' };
    case 'mismatched': {
      if (policy.onMismatch === 'accept') return { kind: 'verified' };
      return {
        kind: policy.onMismatch === 'reject' ? 'rejected' : 'in_review',
        code: 'verified_data_mismatch',
        detail: fieldsWith(match, 'mismatch').join(', '),
      };
    }
    case 'unavailable': {
      if (policy.onUnavailable === 'accept') return { kind: 'verified' };
      const fields = fieldsWith(match, 'unavailable').join(', ');
      return {
        kind: 'in_review',
        code: 'verified_data_unavailable',
        detail: match.reason ? `${fields} (${match.reason})` : fields,
      };
    }
    default:
      return { kind: 'verified' };
  }
}

/** The policy's `verified_outputs` key; `path` names the offending key. */
export function parseVerifiedOutputsPolicy(
  input: unknown,
  fail: (path: string, expected: string) => never,
): VerifiedOutputsPolicy {
  if (input === undefined || input === null) return DEFAULT_VERIFIED_OUTPUTS_POLICY;
  if (typeof input !== 'object' || Array.isArray(input))
    fail('verified_outputs', 'expected an object with on_mismatch and/or on_unavailable');
  const value = input as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (key !== 'on_mismatch' && key !== 'on_unavailable')
      fail(`verified_outputs.${key}`, 'unknown key; expected one of on_mismatch, on_unavailable');
  }
  const onMismatch = value['on_mismatch'] ?? DEFAULT_VERIFIED_OUTPUTS_POLICY.onMismatch;
  const onUnavailable = value['on_unavailable'] ?? DEFAULT_VERIFIED_OUTPUTS_POLICY.onUnavailable;
  if (!isOneOf(MISMATCH_ACTIONS, onMismatch))
    fail('verified_outputs.on_mismatch', `expected one of ${MISMATCH_ACTIONS.join(', ')}`);
  if (!isOneOf(UNAVAILABLE_ACTIONS, onUnavailable))
    fail('verified_outputs.on_unavailable', `expected one of ${UNAVAILABLE_ACTIONS.join(', ')}`);
  return Object.freeze({ onMismatch, onUnavailable });
}
