/** A reviewer's `retry` decision: one more attempt, and the failures before it no longer send to review. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, deriveSubject, type SessionRecord } from '../../src/domain/index.js';

function failed(id: string, created: number, codes: string[]): SessionRecord {
  const failures = codes.map((code, i) => ({ key: `vr_${id}_${i}`, code, reason: null, at: created + i }));
  return {
    id,
    subjectRef: 'u1',
    status: 'requires_input',
    lastError: { code: codes.at(-1)!, reason: null },
    lastReportId: failures.at(-1)!.key,
    created,
    livemode: false,
    redacted: false,
    redactionRequested: false,
    firstVerifiedAt: null,
    applied: null,
    failures,
  } as SessionRecord;
}

const grant = (keys: string[], n = 1) => ({
  decision: 'retry' as const,
  grantedAttempts: n,
  waivedFailures: keys,
});

describe('a granted retry', () => {
  it('sends a subject in review for a failure back to retry_required with one more attempt', () => {
    const sessions = [failed('vs_1', 100, ['selfie_manipulated'])];
    const before = deriveSubject({ ref: 'u1', sessions, policy: DEFAULT_POLICY, manualDecision: null });
    expect(before.state).toBe('in_review');
    const after = deriveSubject({
      ref: 'u1',
      sessions,
      policy: DEFAULT_POLICY,
      manualDecision: grant(['vr_vs_1_0']),
    });
    expect(after.state).toBe('retry_required');
    expect(after.attempts).toEqual({
      used: 1,
      max: DEFAULT_POLICY.maxAttempts + 1,
      left: DEFAULT_POLICY.maxAttempts,
    });
    expect(after.cause.reason).toContain('a reviewer granted another attempt');
  });

  it('lifts a subject whose attempts were used up, and a further failure exhausts it again', () => {
    const codes = Array.from({ length: DEFAULT_POLICY.maxAttempts }, () => 'document_unverified_other');
    const sessions = [failed('vs_1', 100, codes)];
    const keys = sessions[0]!.failures.map((f) => f.key);
    expect(
      deriveSubject({ ref: 'u1', sessions, policy: DEFAULT_POLICY, manualDecision: null }).cause.rule,
    ).toBe('attempts_exhausted');
    expect(
      deriveSubject({ ref: 'u1', sessions, policy: DEFAULT_POLICY, manualDecision: grant(keys) }).state,
    ).toBe('retry_required');
    const more = [...sessions, failed('vs_2', 200, ['document_unverified_other'])];
    expect(
      deriveSubject({ ref: 'u1', sessions: more, policy: DEFAULT_POLICY, manualDecision: grant(keys) }).cause
        .rule,
    ).toBe('attempts_exhausted');
  });

  it('does not waive a failure that came after the grant', () => {
    const sessions = [
      failed('vs_1', 100, ['selfie_manipulated']),
      failed('vs_2', 200, ['selfie_manipulated']),
    ];
    const view = deriveSubject({
      ref: 'u1',
      sessions,
      policy: DEFAULT_POLICY,
      manualDecision: grant(['vr_vs_1_0']),
    });
    expect(view).toMatchObject({ state: 'in_review', cause: { sessionId: 'vs_2' } });
  });
});
