/**
 * The `compare_outputs` reaction: once a session with expected data is verified, fetch its verified outputs
 * from Stripe (`expand[]=verified_outputs`, then `verified_outputs.dob` when a date of birth or an age is
 * expected; reference §1 "Sensitive-data access rules"), compare them with the expected data
 * (domain/verified-match.ts) and step the subject, which was held in `processing` until now — so its
 * outcome is announced once, after the comparison, with the match in the callback and the email.
 *
 * - Each field on its own: a key that may not read `dob`, or a verification past the 48 hours, makes `dob`
 *   (and `min_age`) `unavailable`; names and country are still compared.
 * - Stripe unreachable (network, 429, 5xx): retried on the reaction schedule. On the last try the
 *   comparison is recorded as `unavailable` (reason `fetch_failed`) instead of going dead, so the subject is
 *   never stuck in `processing`: the policy's `on_unavailable` decides (default review: a person looks;
 *   `accept` only if the operator chose it), and the history says why.
 * - Refusals that no retry can change (401, 403, 404) are `unavailable` at once (reason `permission` or
 *   `not_found`).
 * - The expected data is purged with the result unless the subject goes to review (a reviewer sees both
 *   sides); verified outputs are stored only with IDV_KEEP_VERIFIED_OUTPUTS, encrypted.
 *
 * Nothing personal is logged or kept on the outbox row: the detail names the result only.
 */
import {
  compareVerified,
  MATCH_FIELDS,
  type ExpectedData,
  type MatchResult,
  type Policy,
  type SessionMatch,
  type VerifiedData,
} from '../domain/index.js';
import type { ReactionRunner, ReactionVerdict } from '../reactions/verdict.js';
import { done, retry, skipped } from '../reactions/verdict.js';
import type { ExpectationValues, SubjectsAndReviews } from '../store/store.js';
import { StripeGatewayError, type StripeGateway, type VerifiedOutputsRead } from '../stripe/gateway.js';
import { sessionRecords, stepFromSnapshot, subjectChange } from './subject-change.js';

export interface CompareDeps {
  store: Pick<SubjectsAndReviews, 'getExpectation' | 'updateSubject'>;
  stripe: StripeGateway;
  policy: Policy;
  clock: () => number;
  /** IDV_KEEP_VERIFIED_OUTPUTS. */
  keepVerifiedOutputs: boolean;
  /** The dispatcher's schedule: the try after its last one is the last. */
  retryScheduleMs: readonly number[];
}

type Fetched =
  | { kind: 'read'; read: VerifiedOutputsRead }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'retry'; detail: string };

export function createCompareRunner(deps: CompareDeps): ReactionRunner {
  return async (row) => {
    const sessionId = row.sessionId;
    const expectation = sessionId ? await deps.store.getExpectation(sessionId) : null;
    if (!expectation) return skipped('no_expected_data');
    if (expectation.match.status !== 'pending') return skipped('already_compared');
    const expected = expectation.expected ? (JSON.parse(expectation.expected) as ExpectedData) : null;
    const fetched: Fetched = expected
      ? await fetchOutputs(deps.stripe, expectation, expected)
      : { kind: 'unavailable', reason: 'no_expected_data' };
    if (fetched.kind === 'retry') {
      // The try after the schedule's last delay would be dead: decide instead of leaving the subject held.
      const last = deps.retryScheduleMs[row.attempts - 1] === undefined;
      if (!last) return retry(fetched.detail);
    }
    const outcome =
      fetched.kind === 'read' ? fetched : { kind: 'unavailable' as const, reason: reasonOf(fetched) };
    return record(deps, expectation, expected ?? {}, outcome);
  };
}

function reasonOf(fetched: Fetched): string {
  return fetched.kind === 'unavailable' ? fetched.reason : 'fetch_failed';
}

async function fetchOutputs(
  stripe: StripeGateway,
  expectation: ExpectationValues,
  expected: ExpectedData,
): Promise<Fetched> {
  try {
    const read = await stripe.retrieveVerifiedOutputs(expectation.sessionId, {
      account: expectation.account,
      withDob: expected.dob !== undefined || expected.min_age !== undefined,
    });
    return { kind: 'read', read };
  } catch (err) {
    const status = err instanceof StripeGatewayError ? err.statusCode : null;
    if (status === 401 || status === 403) return { kind: 'unavailable', reason: 'permission' };
    if (status === 404) return { kind: 'unavailable', reason: 'not_found' };
    return { kind: 'retry', detail: status === null ? 'stripe unreachable' : `stripe HTTP ${status}` };
  }
}

async function record(
  deps: CompareDeps,
  expectation: ExpectationValues,
  expected: ExpectedData,
  outcome: { kind: 'read'; read: VerifiedOutputsRead } | { kind: 'unavailable'; reason: string },
): Promise<ReactionVerdict> {
  const now = deps.clock();
  const { sessionId, subjectRef: ref } = expectation;
  const status = await deps.store.updateSubject(
    ref,
    (snapshot) => {
      const current = snapshot.expectations?.find((e) => e.sessionId === sessionId);
      if (!current || current.match.status !== 'pending') return { change: null, result: null };
      const session = snapshot.sessions.find((s) => s.id === sessionId)?.record ?? null;
      const verifiedAt = session?.firstVerifiedAt != null ? session.firstVerifiedAt * 1000 : now;
      const match = matchOf(expected, outcome, verifiedAt, now);
      const step = stepFromSnapshot({
        ref,
        snapshot,
        sessions: sessionRecords(snapshot),
        manualDecision: snapshot.subject?.manualDecision ?? null,
        policy: deps.policy,
        eventId: null,
        now,
        matches: { [sessionId]: match },
      });
      const keep = deps.keepVerifiedOutputs && outcome.kind === 'read' && outcome.read.raw;
      const change = subjectChange({
        ref,
        snapshot,
        step,
        manualDecision: snapshot.subject?.manualDecision ?? null,
        now,
        expectations: [
          {
            sessionId,
            subjectRef: ref,
            match,
            // Kept only while a reviewer may need both sides (subject-change.ts purges it afterwards).
            ...(step.view.state === 'in_review' ? {} : { expected: null }),
            ...(keep ? { verified: JSON.stringify(outcome.kind === 'read' ? outcome.read.raw : null) } : {}),
          },
        ],
      });
      return { change, result: match.status };
    },
    now,
  );
  return status === null ? skipped('already_compared') : done(`match ${status}`);
}

/** The comparison, with the fields Stripe would not give marked unavailable and why. */
export function matchOf(
  expected: ExpectedData,
  outcome: { kind: 'read'; read: VerifiedOutputsRead } | { kind: 'unavailable'; reason: string },
  verifiedAt: number,
  now: number,
): SessionMatch {
  if (outcome.kind === 'unavailable') {
    const fields = Object.fromEntries(
      MATCH_FIELDS.map((f) => [f, compareVerified(expected, nothingRead(verifiedAt)).fields[f]]),
    ) as Record<(typeof MATCH_FIELDS)[number], MatchResult>;
    return { status: 'unavailable', fields, checkedAt: now, reason: outcome.reason };
  }
  const { read } = outcome;
  const verified: VerifiedData = {
    first_name: read.first_name,
    last_name: read.last_name,
    country: read.country,
    dob: read.dobUnavailable ? undefined : read.dob,
    verifiedAt,
  };
  const result = compareVerified(expected, verified);
  const unavailable = MATCH_FIELDS.some((f) => result.fields[f] === 'unavailable');
  const reason = unavailable ? (read.dobUnavailable ?? 'no_value') : null;
  return { status: result.status, fields: result.fields, checkedAt: now, reason };
}

function nothingRead(verifiedAt: number): VerifiedData {
  return { first_name: undefined, last_name: undefined, dob: undefined, country: undefined, verifiedAt };
}
