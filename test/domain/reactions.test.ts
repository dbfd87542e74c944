import { describe, expect, it } from 'vitest';
import {
  buildHistoryEntry,
  planReactions,
  planSessionReactions,
  SUBJECT_STATES,
} from '../../src/domain/index.js';
import type { ErrorCategory, SessionRecord, SubjectState, SubjectView } from '../../src/domain/index.js';

function view(state: SubjectState, key: string, category?: ErrorCategory): SubjectView {
  return {
    ref: 'u1',
    state,
    attempts: { used: 1, max: 3, left: 2 },
    cause: {
      key,
      reason: `because ${key}`,
      sessionId: 'vs_1',
      lastError:
        state === 'retry_required' ? { code: 'document_expired', reason: 'The document is expired.' } : null,
      rule: 'failure_retry',
      ...(category === undefined ? {} : { category }),
    },
  };
}

/** Expected plan per state, as `kind:topic:idempotencyKey`. */
const PLAN_ROWS: { state: SubjectState; key: string; category?: ErrorCategory; plan: string[] }[] = [
  { state: 'unverified', key: 'unverified', plan: [] },
  { state: 'pending', key: 'pending:vs_1', plan: [] },
  { state: 'processing', key: 'processing:vs_1', plan: [] },
  {
    state: 'verified',
    key: 'verified:vs_1',
    plan: [
      'email:verified:u1:email:verified:verified:vs_1',
      'callback:verification.verified:u1:callback:verification.verified:verified:vs_1',
    ],
  },
  {
    state: 'retry_required',
    key: 'retry_required:vr_1',
    category: 'retry',
    plan: [
      'email:retry_required:u1:email:retry_required:retry_required:vr_1',
      'callback:verification.retry_required:u1:callback:verification.retry_required:retry_required:vr_1',
    ],
  },
  {
    state: 'in_review',
    key: 'in_review:vr_1',
    category: 'review',
    plan: [
      'email:in_review:u1:email:in_review:in_review:vr_1',
      'callback:verification.needs_review:u1:callback:verification.needs_review:in_review:vr_1',
      'review_case:review:u1:review_case:review:in_review:vr_1',
    ],
  },
  {
    state: 'in_review',
    key: 'in_review:vr_1',
    category: 'alternative',
    plan: [
      'email:alternative_method:u1:email:alternative_method:in_review:vr_1',
      'callback:verification.needs_review:u1:callback:verification.needs_review:in_review:vr_1',
      'review_case:alternative:u1:review_case:alternative:in_review:vr_1',
    ],
  },
  {
    state: 'in_review',
    key: 'in_review:attempts_exhausted',
    category: 'review',
    plan: [
      'email:in_review:u1:email:in_review:in_review:attempts_exhausted',
      'callback:verification.needs_review:u1:callback:verification.needs_review:in_review:attempts_exhausted',
      'review_case:review:u1:review_case:review:in_review:attempts_exhausted',
    ],
  },
  {
    state: 'rejected',
    key: 'rejected:vr_1',
    category: 'reject',
    plan: [
      'email:rejected:u1:email:rejected:rejected:vr_1',
      'callback:verification.rejected:u1:callback:verification.rejected:rejected:vr_1',
    ],
  },
  {
    state: 'canceled',
    key: 'canceled:vs_1',
    plan: ['callback:verification.canceled:u1:callback:verification.canceled:canceled:vs_1'],
  },
];

const compact = (plan: ReturnType<typeof planReactions>) =>
  plan.map((r) => `${r.kind}:${r.topic}:${r.idempotencyKey}`);

describe('planReactions', () => {
  it('covers every subject state', () => {
    expect(new Set(PLAN_ROWS.map((r) => r.state))).toEqual(new Set(SUBJECT_STATES));
  });

  describe.each(PLAN_ROWS)('into $state ($key, $category)', ({ state, key, category, plan }) => {
    it('from nothing, plans the state’s reactions', () => {
      expect(compact(planReactions(null, view(state, key, category), { eventId: 'evt_1' }))).toEqual(plan);
    });

    it('from every other state, plans the same reactions', () => {
      for (const from of SUBJECT_STATES.filter((s) => s !== state)) {
        const before = view(from, `${from}:x`);
        expect(compact(planReactions(before, view(state, key, category), { eventId: 'evt_2' }))).toEqual(
          plan,
        );
      }
    });

    it('with the same state and cause (another Event object for the same change), plans nothing', () => {
      expect(
        planReactions(view(state, key, category), view(state, key, category), { eventId: 'evt_3' }),
      ).toEqual([]);
    });
  });

  it('a new cause in the same state (a second failure) plans again with a new key', () => {
    const plan = planReactions(
      view('retry_required', 'retry_required:vr_1'),
      view('retry_required', 'retry_required:vr_2'),
      {
        eventId: 'evt_9',
      },
    );
    expect(plan.map((r) => r.idempotencyKey)).toEqual([
      'u1:email:retry_required:retry_required:vr_2',
      'u1:callback:verification.retry_required:retry_required:vr_2',
    ]);
  });

  it('a retry reaction carries last_error and the causing event', () => {
    const [email] = planReactions(null, view('retry_required', 'retry_required:vr_1', 'retry'), {
      eventId: 'evt_7',
    });
    expect(email).toMatchObject({
      subjectRef: 'u1',
      sessionId: 'vs_1',
      state: 'retry_required',
      lastError: { code: 'document_expired', reason: 'The document is expired.' },
      category: 'retry',
      eventId: 'evt_7',
    });
  });
});

function session(overrides: Partial<SessionRecord>): SessionRecord {
  return {
    id: 'vs_1',
    subjectRef: 'u1',
    status: 'verified',
    lastError: null,
    lastReportId: 'vr_1',
    created: 100,
    livemode: false,
    redacted: false,
    redactionRequested: false,
    firstVerifiedAt: 120,
    applied: { eventId: 'evt_1', created: 120, rank: 3 },
    failures: [],
    ...overrides,
  };
}

describe('planSessionReactions', () => {
  it('plans verification.redacted when redaction finishes', () => {
    const plan = planSessionReactions(session({}), session({ redacted: true }), {
      eventId: 'evt_r',
      subjectState: 'verified',
    });
    expect(plan).toEqual([
      {
        kind: 'callback',
        topic: 'verification.redacted',
        idempotencyKey: 'u1:callback:verification.redacted:redacted:vs_1',
        subjectRef: 'u1',
        sessionId: 'vs_1',
        state: 'verified',
        lastError: null,
        category: null,
        eventId: 'evt_r',
      },
    ]);
  });

  it('plans it for a session first seen already redacted', () => {
    expect(planSessionReactions(null, session({ redacted: true }), { eventId: 'evt_r' })).toHaveLength(1);
  });

  it('plans nothing once the session is already redacted, or while redaction is only requested', () => {
    expect(
      planSessionReactions(session({ redacted: true }), session({ redacted: true }), { eventId: 'evt_r2' }),
    ).toEqual([]);
    expect(
      planSessionReactions(session({}), session({ redactionRequested: true }), { eventId: 'evt_c' }),
    ).toEqual([]);
  });

  it('waits until a redacted session is linked to a subject, then plans it once', () => {
    const unlinked = session({ subjectRef: null, redacted: true });
    expect(planSessionReactions(null, unlinked, { eventId: 'evt_r' })).toEqual([]);
    const linked = planSessionReactions(unlinked, session({ redacted: true }), { eventId: 'evt_v' });
    expect(linked.map((r) => r.idempotencyKey)).toEqual(['u1:callback:verification.redacted:redacted:vs_1']);
  });
});

describe('buildHistoryEntry', () => {
  it('records the transition with its event and policy decision', () => {
    const after = view('in_review', 'in_review:attempts_exhausted', 'review');
    const entry = buildHistoryEntry(
      view('retry_required', 'retry_required:vr_2', 'retry'),
      { ...after, cause: { ...after.cause, rule: 'attempts_exhausted' } },
      {
        at: 1_800_000_000,
        eventId: 'evt_5',
      },
    );
    expect(entry).toEqual({
      at: 1_800_000_000,
      from: 'retry_required',
      to: 'in_review',
      eventId: 'evt_5',
      reason: 'because in_review:attempts_exhausted',
      decision: 'attempts_exhausted:review',
      causeKey: 'in_review:attempts_exhausted',
    });
  });

  it('starts a subject’s history from null', () => {
    expect(
      buildHistoryEntry(null, view('pending', 'pending:vs_1'), { at: 1, eventId: 'evt_1' })?.from,
    ).toBeNull();
  });

  it('records nothing when state and cause are unchanged', () => {
    expect(
      buildHistoryEntry(view('pending', 'pending:vs_1'), view('pending', 'pending:vs_1'), {
        at: 1,
        eventId: 'e',
      }),
    ).toBeNull();
  });
});
