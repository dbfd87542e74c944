import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/domain/index.js';
import { changedFailureCodes, subjectFacts } from '../../src/domain/subject-facts.js';
import type { SubjectView } from '../../src/domain/subject.js';

const view = (used: number, left: number) => ({ attempts: { used, max: 3, left } }) as unknown as SubjectView;
const session = (id: string, failures: [string, string][]) =>
  ({
    id,
    failures: failures.map(([key, code]) => ({ key, code, reason: null, at: 1 })),
  }) as unknown as SessionRecord;

describe('subject facts', () => {
  it('keep the earliest submission and verification, whatever order history is written in', () => {
    const first = subjectFacts(null, view(0, 3), [{ at: 500, to: 'pending' }]);
    expect(first).toEqual({ firstSubmittedAt: null, verifiedAt: null, attemptsUsed: 0, attemptsLeft: 3 });
    const verified = subjectFacts(first, view(1, 2), [{ at: 900, to: 'verified' }]);
    expect(verified).toEqual({ firstSubmittedAt: 900, verifiedAt: 900, attemptsUsed: 1, attemptsLeft: 2 });
    const late = subjectFacts(verified, view(1, 2), [{ at: 700, to: 'processing' }]);
    expect(late).toMatchObject({ firstSubmittedAt: 700, verifiedAt: 900 });
    expect(subjectFacts(late, view(1, 2), [{ at: 1200, to: 'verified' }])).toMatchObject({ verifiedAt: 900 });
  });

  it('name only the codes whose count of distinct reports changed', () => {
    const before = [session('vs_1', [['vr_1', 'document_expired']])];
    expect(changedFailureCodes(before, before)).toEqual([]);
    // The same report seen by a second session counts once; a new report of a new code is written.
    const after = [
      session('vs_1', [['vr_1', 'document_expired']]),
      session('vs_2', [
        ['vr_1', 'document_expired'],
        ['vr_2', 'selfie_face_mismatch'],
      ]),
    ];
    expect(changedFailureCodes(before, after)).toEqual([{ code: 'selfie_face_mismatch', submissions: 1 }]);
    const more = [...after, session('vs_3', [['vr_3', 'document_expired']])];
    expect(changedFailureCodes(after, more)).toEqual([{ code: 'document_expired', submissions: 2 }]);
  });
});
