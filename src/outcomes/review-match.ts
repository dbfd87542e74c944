/**
 * What a review case shows of the comparison of verified outputs with the app's expected data: the result per
 * field for everyone who reads the case (no personal values), and for a reviewer the side-by-side rows
 * (domain/verified-match.ts `sideBySide`), expected next to verified. The expected values are the ones idv
 * kept for the open case (encrypted); the verified side is the kept outputs (IDV_KEEP_VERIFIED_OUTPUTS) or,
 * otherwise, fetched live from Stripe for this answer only — never stored. The caller audits the reveal
 * before calling with `reveal: true`, and answers `no-store`.
 */
import { sideBySide, type ExpectedData, type SessionMatch, type SideBySideRow } from '../domain/index.js';
import type { ExpectationValues, ReviewRecord, SubjectsAndReviews } from '../store/store.js';
import type { StripeGateway, VerifiedOutputsRead } from '../stripe/gateway.js';

export interface ReviewMatch {
  session_id: string;
  status: SessionMatch['status'];
  fields: SessionMatch['fields'];
  checked_at: string | null;
  reason: string | null;
  /** Only revealed to a reviewer; null once the expected data is purged. Personal data. */
  side_by_side?: SideBySideRow[] | null;
}

export async function reviewMatchOf(
  deps: { store: Pick<SubjectsAndReviews, 'getExpectation'>; stripe?: StripeGateway | undefined },
  review: ReviewRecord,
  reveal: boolean,
): Promise<ReviewMatch | null> {
  if (!review.sessionId) return null;
  const e = await deps.store.getExpectation(review.sessionId);
  if (!e) return null;
  const summary: ReviewMatch = {
    session_id: e.sessionId,
    status: e.match.status,
    fields: e.match.fields,
    checked_at: e.match.checkedAt === null ? null : new Date(e.match.checkedAt).toISOString(),
    reason: e.match.reason,
  };
  if (!reveal) return summary;
  return { ...summary, side_by_side: await rows(deps.stripe, e) };
}

async function rows(
  stripe: StripeGateway | undefined,
  e: ExpectationValues,
): Promise<SideBySideRow[] | null> {
  if (e.expected === null) return null;
  const expected = JSON.parse(e.expected) as ExpectedData;
  const verified = e.verified !== null ? fromKept(e.verified) : await fetchLive(stripe, e, expected);
  return sideBySide(expected, {
    first_name: verified?.first_name,
    last_name: verified?.last_name,
    country: verified?.country,
    dob: verified?.dobUnavailable ? undefined : verified?.dob,
    verifiedAt: e.match.checkedAt ?? 0,
  });
}

function fromKept(json: string): VerifiedOutputsRead {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const address = raw['address'] as { country?: string | null } | null | undefined;
  return {
    first_name: (raw['first_name'] as string | null | undefined) ?? null,
    last_name: (raw['last_name'] as string | null | undefined) ?? null,
    country: address?.country ?? null,
    dob: raw['dob'] as VerifiedOutputsRead['dob'],
    dobUnavailable: null,
    raw,
  };
}

/** Live from Stripe; what Stripe no longer gives (48 hours, permission, unreachable) shows as null. */
async function fetchLive(
  stripe: StripeGateway | undefined,
  e: ExpectationValues,
  expected: ExpectedData,
): Promise<VerifiedOutputsRead | null> {
  if (!stripe) return null;
  try {
    return await stripe.retrieveVerifiedOutputs(e.sessionId, {
      account: e.account,
      withDob: expected.dob !== undefined || expected.min_age !== undefined,
    });
  } catch {
    return null;
  }
}
