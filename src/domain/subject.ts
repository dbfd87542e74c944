/**
 * Derives a subject's (the application user's) verification state from ALL of its sessions, the
 * policy and an operator's decision.
 *
 * Why a derivation and not a stored state machine: events arrive late, twice and out of order
 * (reference 4.2), so the subject must be a pure function of the SET of session records — sorted here
 * before use — which the session reducer already makes order-independent. Any permutation of the same
 * events therefore yields the same view, and `cause.key` names WHY the subject is in its state in a way
 * that is equally order-independent, so reactions keyed on it are sent once per change (DESIGN.md:
 * "An email or callback is sent once per state change, not once per webhook").
 *
 * Precedence, first match wins:
 *  1. manual decision            approve → verified, reject → rejected (retry decides nothing: below)
 *  2. a session is verified      → verified (a late `verified` for an older session is never lost)
 *  3. a failure categorised reject              → rejected
 *  4. a failure categorised review/alternative  → in_review
 *  5. attempts used ≥ max        → in_review (policy `exhausted` may say alternative or reject)
 *  6. a session is processing    → processing
 *  7. a session is in requires_input with a last_error → retry_required (cause: the newest failure)
 *  8. a session awaits input (requires_input without error, or a status Stripe added later) → pending
 *  9. every session is canceled  → canceled
 * 10. no sessions                → unverified
 *
 * A `retry` decision (a reviewer granted another attempt) is not a state of its own: it raises the maximum
 * by the attempts granted and waives the failures the subject had when it was granted, so they no longer
 * send it to review or rejection (rules 3–4) but still count as used attempts. Its newest waived failure
 * then asks the user to retry (rule 7) even when that failure's session is no longer open.
 */
import type { FailedSubmission, SessionRecord } from './session.js';
import { categorize } from './policy.js';
import type { Policy } from './policy.js';
import type { ErrorCategory, LastError, ManualDecisionKind, SubjectState } from './terms.js';
import { DEFAULT_VERIFIED_OUTPUTS_POLICY, matchVerdict, type SessionMatch } from './match-outcome.js';

/** An operator's decision on a review case; only `decision` affects the state. */
export interface ManualDecision {
  readonly decision: ManualDecisionKind;
  readonly reviewId?: string | null;
  readonly decidedBy?: string | null;
  readonly note?: string | null;
  readonly at?: number | null;
  /** `retry` only: attempts granted so far by reviewers, added to the policy's maximum. */
  readonly grantedAttempts?: number;
  /** `retry` only: report keys of the failures waived by the grants. */
  readonly waivedFailures?: readonly string[];
}

/** Which precedence rule produced the state; recorded in history as the policy decision. */
export type SubjectRule =
  | 'manual_decision'
  | 'session_verified'
  | 'outputs_pending'
  | 'outputs_mismatch'
  | 'outputs_unavailable'
  | 'failure_reject'
  | 'failure_review'
  | 'attempts_exhausted'
  | 'session_processing'
  | 'failure_retry'
  | 'session_open'
  | 'sessions_canceled'
  | 'no_sessions';

export interface SubjectCause {
  /**
   * Stable, order-independent id of why the subject is in this state, e.g. `verified:vs_1`,
   * `retry_required:vr_4`, `in_review:attempts_exhausted`, `manual:approve`. Reaction idempotency keys
   * are built from it.
   */
  readonly key: string;
  /** One line for operators and history. Contains no personal data. */
  readonly reason: string;
  readonly sessionId: string | null;
  readonly lastError: LastError | null;
  readonly category?: ErrorCategory;
  readonly rule: SubjectRule;
}

export interface Attempts {
  readonly used: number;
  readonly max: number;
  readonly left: number;
}

export interface SubjectView {
  readonly ref: string;
  readonly state: SubjectState;
  readonly attempts: Attempts;
  readonly cause: SubjectCause;
  /**
   * The comparison of verified outputs with the app's expected data (match-outcome.ts), of the session that
   * decides: the verified one, else the newest with expected data. Absent when nothing was expected.
   */
  readonly match?: SessionMatch & { readonly sessionId: string };
}

export interface DeriveSubjectInput {
  readonly ref: string;
  readonly sessions: readonly SessionRecord[];
  readonly policy: Policy;
  readonly manualDecision: ManualDecision | null;
  /** Per session id, the comparison of its verified outputs with the expected data (none: nothing expected). */
  readonly matches?: Readonly<Record<string, SessionMatch>>;
}

interface AttributedFailure extends FailedSubmission {
  readonly sessionId: string;
  readonly category: ErrorCategory;
  /** A reviewer granted another attempt after it: it no longer decides rules 3 and 4. */
  readonly waived: boolean;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sessions oldest first: by `created`, then id. */
export function compareSessions(a: SessionRecord, b: SessionRecord): number {
  return a.created !== b.created ? a.created - b.created : compareStrings(a.id, b.id);
}

/** Every distinct failed submission of the subject, earliest first (by time, then key). */
function collectFailures(
  sorted: readonly SessionRecord[],
  policy: Policy,
  waived: ReadonlySet<string>,
): AttributedFailure[] {
  const byKey = new Map<string, AttributedFailure>();
  for (const session of sorted) {
    for (const failure of session.failures) {
      // Report ids are unique per submission; if two sessions ever named one, the older session wins.
      if (!byKey.has(failure.key)) {
        byKey.set(failure.key, {
          ...failure,
          sessionId: session.id,
          category: categorize(policy, failure.code),
          waived: waived.has(failure.key),
        });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.at !== b.at ? a.at - b.at : compareStrings(a.key, b.key)));
}

function errorOf(failure: FailedSubmission): LastError {
  return { code: failure.code, reason: failure.reason };
}

/**
 * `verified:<vs>`; after a Dashboard override took the verified decision back (a failure reported
 * after the session's first verification, reference 2.1 "Override status") and it was verified again,
 * `verified:<vs>:<n>` with n such failures, so the application hears about the new verification
 * instead of the outbox dropping it as a repeat of the first one.
 */
function verifiedKey(session: SessionRecord): string {
  const since = session.firstVerifiedAt;
  const overrides = since === null ? 0 : session.failures.filter((f) => f.at > since).length;
  return overrides === 0 ? `verified:${session.id}` : `verified:${session.id}:${overrides}`;
}

function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

/** What the precedence rules look at: the sessions oldest first, the counted failures, the decision. */
interface Facts {
  readonly sessions: readonly SessionRecord[];
  readonly failures: readonly AttributedFailure[];
  readonly used: number;
  /** The policy's maximum plus the attempts reviewers granted. */
  readonly max: number;
  readonly policy: Policy;
  readonly manualDecision: ManualDecision | null;
  readonly matches: Readonly<Record<string, SessionMatch>>;
}

type Outcome = readonly [SubjectState, SubjectCause];

function fromFailure(
  rule: SubjectRule,
  keyPrefix: string,
  f: AttributedFailure,
  reason: string,
): SubjectCause {
  return {
    key: `${keyPrefix}:${f.key}`,
    reason,
    sessionId: f.sessionId,
    lastError: errorOf(f),
    category: f.category,
    rule,
  };
}

/** 1. An operator's decision overrides everything Stripe says. */
function manualOutcome({ manualDecision }: Facts): Outcome | undefined {
  if (manualDecision === null || manualDecision.decision === 'retry') return undefined;
  const { decision } = manualDecision;
  return [
    decision === 'approve' ? 'verified' : 'rejected',
    {
      key: `manual:${decision}`,
      reason: `manual review decision: ${decision}`,
      sessionId: null,
      lastError: null,
      rule: 'manual_decision',
    },
  ];
}

/**
 * 2. Any verified session verifies the subject; the oldest one names the cause, so a second verification
 * does not announce the subject again. When the app expected data for it, the comparison decides first
 * (match-outcome.ts): held in `processing` until it is done, then verified, in review or rejected.
 */
function verifiedOutcome({ sessions, matches, policy }: Facts): Outcome | undefined {
  const verified = sessions.find((s) => s.status === 'verified');
  if (verified === undefined) return undefined;
  const id = verified.id;
  const verdict = matchVerdict(
    Object.hasOwn(matches, id) ? matches[id] : undefined,
    policy.verifiedOutputs ?? DEFAULT_VERIFIED_OUTPUTS_POLICY,
  );
  if (verdict.kind === 'hold') {
    const reason = `session ${id} verified; comparing its verified outputs with the expected data`;
    return [
      'processing',
      { key: `processing:${id}:outputs`, reason, sessionId: id, lastError: null, rule: 'outputs_pending' },
    ];
  }
  if (verdict.kind !== 'verified') {
    const rule = verdict.code === 'verified_data_mismatch' ? 'outputs_mismatch' : 'outputs_unavailable';
    return [
      verdict.kind,
      {
        key: `${verdict.kind}:${verdict.code}:${id}`,
        reason: `${verdict.code}: ${verdict.detail} (session ${id})`,
        sessionId: id,
        lastError: null,
        category: verdict.kind === 'rejected' ? 'reject' : 'review',
        rule,
      },
    ];
  }
  return [
    'verified',
    {
      key: verifiedKey(verified),
      reason: `session ${id} verified`,
      sessionId: id,
      lastError: null,
      rule: 'session_verified',
    },
  ];
}

/** 3. The earliest failure of a final category names the cause; later ones do not reopen the case. */
function rejectOutcome({ failures }: Facts): Outcome | undefined {
  const f = failures.find((x) => x.category === 'reject' && !x.waived);
  if (f === undefined) return undefined;
  const reason = `${f.code} in ${f.sessionId} is final (category reject)`;
  return ['rejected', fromFailure('failure_reject', 'rejected', f, reason)];
}

/** 4. Likewise the earliest failure that needs a person or another method. */
function reviewOutcome({ failures }: Facts): Outcome | undefined {
  const f = failures.find((x) => !x.waived && (x.category === 'review' || x.category === 'alternative'));
  if (f === undefined) return undefined;
  const needs = f.category === 'review' ? 'manual review' : 'an alternative method';
  const reason = `${f.code} in ${f.sessionId} needs ${needs} (category ${f.category})`;
  return ['in_review', fromFailure('failure_review', 'in_review', f, reason)];
}

/** 5. Retries used up. */
function exhaustedOutcome({ failures, used, max, policy }: Facts): Outcome | undefined {
  const latest = last(failures);
  if (used < max || latest === undefined) return undefined;
  const state: SubjectState = policy.exhausted === 'reject' ? 'rejected' : 'in_review';
  return [
    state,
    {
      key: `${state}:attempts_exhausted`,
      reason: `${used} of ${max} attempts used; policy sends exhausted subjects to ${policy.exhausted}`,
      sessionId: latest.sessionId,
      lastError: errorOf(latest),
      category: policy.exhausted,
      rule: 'attempts_exhausted',
    },
  ];
}

/** 6. A submission is being checked. */
function processingOutcome({ sessions }: Facts): Outcome | undefined {
  const processing = last(sessions.filter((s) => s.status === 'processing'));
  if (processing === undefined) return undefined;
  return [
    'processing',
    {
      key: `processing:${processing.id}`,
      reason: `session ${processing.id} is processing a submission`,
      sessionId: processing.id,
      lastError: null,
      rule: 'session_processing',
    },
  ];
}

/**
 * 7. A failed session asks the user to retry. The cause is the NEWEST failed submission of the subject,
 * not merely that of the newest failed session: the newest failure only ever moves forward as failures
 * accumulate, so a cause never comes back once replaced (e.g. when a newer failed session is canceled, the
 * subject must not re-announce the older failure).
 */
function retryOutcome({ sessions, failures, used, max }: Facts): Outcome | undefined {
  const failedOpen = last(
    sessions.filter((s) => s.status === 'requires_input' && (s.lastError?.code ?? null) !== null),
  );
  const latest = last(failures);
  if (latest === undefined || (failedOpen === undefined && !latest.waived)) return undefined;
  const granted = latest.waived ? '; a reviewer granted another attempt' : '';
  return [
    'retry_required',
    {
      key: `retry_required:${latest.key}`,
      reason: `${latest.code} in ${latest.sessionId}: the user may retry (${used} of ${max} attempts used${granted})`,
      sessionId: latest.sessionId,
      lastError: errorOf(latest),
      category: latest.category,
      rule: 'failure_retry',
    },
  ];
}

/** 8. A session that is not canceled waits for the user. */
function openOutcome({ sessions }: Facts): Outcome | undefined {
  const open = last(sessions.filter((s) => s.status !== 'canceled'));
  if (open === undefined) return undefined;
  return [
    'pending',
    {
      key: `pending:${open.id}`,
      reason: `session ${open.id} awaits the user's submission (status ${open.status})`,
      sessionId: open.id,
      lastError: null,
      rule: 'session_open',
    },
  ];
}

/** 9. Every session canceled. */
function canceledOutcome({ sessions }: Facts): Outcome | undefined {
  const newest = last(sessions);
  if (newest === undefined) return undefined;
  return [
    'canceled',
    {
      key: `canceled:${newest.id}`,
      reason: `all ${sessions.length} session(s) canceled`,
      sessionId: newest.id,
      lastError: null,
      rule: 'sessions_canceled',
    },
  ];
}

/** The precedence of the rules: the first that applies decides. */
const PRECEDENCE: readonly ((facts: Facts) => Outcome | undefined)[] = [
  manualOutcome,
  verifiedOutcome,
  rejectOutcome,
  reviewOutcome,
  exhaustedOutcome,
  processingOutcome,
  retryOutcome,
  openOutcome,
  canceledOutcome,
];

/** 10. No session yet. */
const UNVERIFIED: Outcome = [
  'unverified',
  {
    key: 'unverified',
    reason: 'no verification session yet',
    sessionId: null,
    lastError: null,
    rule: 'no_sessions',
  },
];

/** The subject's view: a pure function of the set of its sessions, the policy and the manual decision. */
export function deriveSubject(input: DeriveSubjectInput): SubjectView {
  const { ref, policy, manualDecision } = input;
  const sessions = [...input.sessions].sort(compareSessions);
  const waived = new Set(manualDecision?.decision === 'retry' ? (manualDecision.waivedFailures ?? []) : []);
  const failures = collectFailures(sessions, policy, waived);
  const used = failures.length;
  const granted = manualDecision?.decision === 'retry' ? (manualDecision.grantedAttempts ?? 0) : 0;
  const max = policy.maxAttempts + granted;
  const attempts: Attempts = { used, max, left: Math.max(0, max - used) };
  const matches = input.matches ?? {};
  const facts: Facts = { sessions, failures, used, max, policy, manualDecision, matches };
  let outcome: Outcome = UNVERIFIED;
  for (const rule of PRECEDENCE) {
    const found = rule(facts);
    if (found !== undefined) {
      outcome = found;
      break;
    }
  }
  const [state, cause] = outcome;
  const match = viewMatch(sessions, matches);
  return match ? { ref, state, attempts, cause, match } : { ref, state, attempts, cause };
}

/** The match the view shows: the deciding (oldest) verified session's, else the newest session's with one. */
function viewMatch(
  sessions: readonly SessionRecord[],
  matches: Readonly<Record<string, SessionMatch>>,
): SubjectView['match'] {
  const has = (s: SessionRecord) => Object.hasOwn(matches, s.id);
  const chosen = sessions.find((s) => s.status === 'verified' && has(s)) ?? last(sessions.filter(has));
  if (chosen === undefined) return undefined;
  if (sessions.some((s) => s.status === 'verified') && chosen.status !== 'verified') return undefined;
  return { ...matches[chosen.id]!, sessionId: chosen.id };
}

/** The part of a view that identifies an outcome; what the worker keeps as "last announced". */
export interface OutcomeKey {
  readonly state: SubjectState;
  readonly cause: { readonly key: string };
}

/** The outcome part of a view, detached (for storing as the last announced outcome). */
export function outcomeKeyOf(view: OutcomeKey): OutcomeKey {
  return { state: view.state, cause: { key: view.cause.key } };
}

/** True when both describe the same outcome: same state, same cause. Reactions and history use it. */
export function isSameOutcome(before: OutcomeKey | null, after: OutcomeKey): boolean {
  return before !== null && before.state === after.state && before.cause.key === after.cause.key;
}
