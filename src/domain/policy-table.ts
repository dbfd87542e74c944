/**
 * What the policy does with each failure code, worked out by the rules themselves rather than written down
 * beside them: for every code, the subject after one failed submission with it and after the attempts
 * run out (deriveSubject), and the reactions planned for the first (planReactions). `idv policy show` prints
 * it and the README's policy table is generated from it (npm run docs:policy), so neither can drift.
 */
import { KNOWN_ERROR_CODES, type ErrorCategory, type SubjectState } from './terms.js';
import { categorize, type Policy } from './policy.js';
import { planReactions } from './reactions.js';
import type { SessionRecord } from './session.js';
import { deriveSubject } from './subject.js';

export interface PolicyRow {
  readonly code: string;
  readonly category: ErrorCategory;
  /** The subject's state after one failed submission with this code. */
  readonly firstState: SubjectState;
  /** The reactions planned for it: `email retry_required`, `callback verification.retry_required`, … */
  readonly reactions: readonly string[];
  /** The state once `maxAttempts` submissions failed with it. */
  readonly exhaustedState: SubjectState;
}

function failedSession(code: string, failures: number): SessionRecord {
  return {
    id: 'vs_policy',
    subjectRef: 'policy',
    status: 'requires_input',
    lastError: { code, reason: null },
    lastReportId: `vr_${failures}`,
    created: 1,
    livemode: false,
    redacted: false,
    redactionRequested: false,
    firstVerifiedAt: null,
    applied: null,
    failures: Array.from({ length: failures }, (_, i) => ({
      key: `vr_${i + 1}`,
      code,
      reason: null,
      at: i + 2,
    })),
  };
}

function subjectAfter(policy: Policy, code: string, failures: number) {
  return deriveSubject({
    ref: 'policy',
    sessions: [failedSession(code, failures)],
    policy,
    manualDecision: null,
  });
}

/** Every known code, then any other code the policy names, in that order. */
export function policyRows(policy: Policy): PolicyRow[] {
  const extra = Object.keys(policy.categories).filter(
    (c) => !(KNOWN_ERROR_CODES as readonly string[]).includes(c),
  );
  return [...KNOWN_ERROR_CODES, ...extra.sort()].map((code) => {
    const first = subjectAfter(policy, code, 1);
    const reactions = planReactions(null, first, { eventId: 'evt_policy' }).map(
      (r) => `${r.kind} ${r.topic}`,
    );
    return {
      code,
      category: categorize(policy, code),
      firstState: first.state,
      reactions,
      exhaustedState: subjectAfter(policy, code, policy.maxAttempts).state,
    };
  });
}
