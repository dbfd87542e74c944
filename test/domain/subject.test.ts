import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  EMPTY_ANNOUNCEMENTS,
  applySessionEvent,
  deriveSubject,
  parsePolicy,
  parseSessionEvent,
  stepSubject,
} from '../../src/domain/index.js';
import type {
  AnnouncementLog,
  Policy,
  SessionRecord,
  SubjectState,
  SubjectView,
} from '../../src/domain/index.js';
import { kindsAndTopics, runStream, sessionEvents } from './fixtures.js';

const VERIFIED = ['email:verified', 'callback:verification.verified'];
const RETRY = ['email:retry_required', 'callback:verification.retry_required'];
const REVIEW = ['email:in_review', 'callback:verification.needs_review', 'review_case:review'];
const ALTERNATIVE = [
  'email:alternative_method',
  'callback:verification.needs_review',
  'review_case:alternative',
];
const REJECTED = ['email:rejected', 'callback:verification.rejected'];
const CANCELED = ['callback:verification.canceled'];
const REDACTED = ['callback:verification.redacted'];

interface Row {
  name: string;
  events: unknown[];
  policy?: Policy;
  storedRefs?: Record<string, string>;
  state: SubjectState;
  used: number;
  reactions: string[];
  cause?: string;
}

const a = sessionEvents('vs_a', 'u1', 100);
const b = sessionEvents('vs_b', 'u1', 200);
const c = sessionEvents('vs_c', 'u1', 300);

/** One submission failing with `code` in a fresh session: created → processing → requires_input. */
function codeRow(code: string, state: SubjectState, reactions: string[], cause: string): Row {
  return {
    name: `${code} → ${state}`,
    events: [a.created(110), a.processing(120), a.failed(130, code, 'vr_1')],
    state,
    used: 1,
    reactions,
    cause,
  };
}

const CODE_ROWS: Row[] = [
  codeRow('document_expired', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('document_type_not_supported', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('document_unverified_other', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('selfie_document_missing_photo', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('selfie_face_mismatch', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('selfie_unverified_other', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('id_number_insufficient_document_data', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('id_number_unverified_other', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('id_number_mismatch', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('abandoned', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('device_not_supported', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('email_unverified_other', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('email_verification_declined', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('phone_unverified_other', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('phone_verification_declined', 'retry_required', RETRY, 'retry_required:vr_1'),
  codeRow('consent_declined', 'in_review', ALTERNATIVE, 'in_review:vr_1'),
  codeRow('country_not_supported', 'in_review', ALTERNATIVE, 'in_review:vr_1'),
  codeRow('address_mismatch', 'in_review', ALTERNATIVE, 'in_review:vr_1'),
  codeRow('selfie_manipulated', 'in_review', REVIEW, 'in_review:vr_1'),
  codeRow('under_supported_age', 'rejected', REJECTED, 'rejected:vr_1'),
  codeRow('a_code_stripe_adds_later', 'in_review', REVIEW, 'in_review:vr_1'),
];

const SCENARIO_ROWS: Row[] = [
  {
    name: 'a created session waits for the user',
    events: [a.created(110)],
    state: 'pending',
    used: 0,
    reactions: [],
  },
  {
    name: 'a submitted session is processing',
    events: [a.created(110), a.processing(120)],
    state: 'processing',
    used: 0,
    reactions: [],
  },
  {
    name: 'a verified session verifies the subject',
    events: [a.created(110), a.processing(120), a.verified(130)],
    state: 'verified',
    used: 0,
    reactions: VERIFIED,
    cause: 'verified:vs_a',
  },
  {
    name: 'verified delivered before its processing event → verified',
    events: [a.verified(130), a.processing(120), a.created(110)],
    state: 'verified',
    used: 0,
    reactions: VERIFIED,
  },
  {
    name: 'three failed submissions in one session → in_review (attempts exhausted)',
    events: [
      a.created(110),
      a.processing(120),
      a.failed(130, 'document_expired', 'vr_1'),
      a.processing(140),
      a.failed(150, 'selfie_face_mismatch', 'vr_2'),
      a.processing(160),
      a.failed(170, 'document_unverified_other', 'vr_3'),
    ],
    state: 'in_review',
    used: 3,
    reactions: [...RETRY, ...RETRY, ...REVIEW],
    cause: 'in_review:attempts_exhausted',
  },
  {
    name: 'three failed submissions across three sessions → in_review',
    events: [
      a.failed(130, 'document_expired', 'vr_1'),
      b.failed(230, 'document_expired', 'vr_2'),
      c.failed(330, 'abandoned', null),
    ],
    state: 'in_review',
    used: 3,
    reactions: [...RETRY, ...RETRY, ...REVIEW],
    cause: 'in_review:attempts_exhausted',
  },
  {
    name: 'a late verified for an older session still verifies the subject',
    events: [
      a.created(110),
      b.created(210),
      b.processing(220),
      b.failed(230, 'document_expired', 'vr_b'),
      a.verified(150),
    ],
    state: 'verified',
    used: 1,
    reactions: [...RETRY, ...VERIFIED],
    cause: 'verified:vs_a',
  },
  {
    name: 'Dashboard override verified → requires_input → verified tells the app each time',
    events: [
      a.processing(120),
      a.verified(130, { report: 'vr_1' }),
      a.failed(140, 'selfie_face_mismatch', 'vr_1'),
      a.verified(150, { report: 'vr_1' }),
    ],
    state: 'verified',
    used: 1,
    reactions: [...VERIFIED, ...RETRY, ...VERIFIED],
    cause: 'verified:vs_a:1',
  },
  {
    // Without an error code the subject is only `pending`, which announces nothing, so the app was never
    // told the verification was taken back and is not told "verified" a second time either.
    name: 'an override to requires_input without an error code announces nothing new',
    events: [a.verified(130), a.created(140, { status: 'requires_input' }), a.verified(150)],
    state: 'verified',
    used: 0,
    reactions: VERIFIED,
    cause: 'verified:vs_a',
  },
  {
    name: 'a failed session whose newer retry session is canceled does not re-announce the old failure',
    events: [
      a.failed(130, 'document_expired', 'vr_1'),
      b.processing(220),
      b.failed(230, 'selfie_face_mismatch', 'vr_2'),
      b.canceled(240),
    ],
    state: 'retry_required',
    used: 2,
    reactions: [...RETRY, ...RETRY],
    cause: 'retry_required:vr_2',
  },
  {
    name: 'a waypoint between two identical outcomes does not re-announce (retry → processing → retry)',
    // Out of order: the newer session's cancel arrives before its failure.
    events: [a.failed(130, 'document_expired', 'vr_1'), b.processing(220), b.canceled(240)],
    state: 'retry_required',
    used: 1,
    reactions: RETRY,
    cause: 'retry_required:vr_1',
  },
  {
    name: 'the same failure as two different Event objects (same report id) counts once',
    events: [a.failed(130, 'document_expired', 'vr_1'), a.failed(131, 'document_expired', 'vr_1')],
    state: 'retry_required',
    used: 1,
    reactions: RETRY,
  },
  {
    name: 'the same Event delivered twice plans nothing new',
    events: (() => {
      const e = a.failed(130, 'document_expired', 'vr_1');
      return [e, e];
    })(),
    state: 'retry_required',
    used: 1,
    reactions: RETRY,
  },
  {
    name: 'a late failure after a newer event still counts an attempt',
    events: [
      a.created(110),
      a.processing(120),
      a.processing(140),
      a.failed(150, 'document_expired', 'vr_2'),
      a.failed(130, 'document_expired', 'vr_1'),
    ],
    state: 'retry_required',
    used: 2,
    reactions: RETRY,
    cause: 'retry_required:vr_2',
  },
  {
    name: 'late failures still exhaust the attempts',
    events: [
      a.processing(160),
      a.failed(170, 'document_expired', 'vr_3'),
      a.failed(130, 'document_expired', 'vr_1'),
      a.failed(150, 'document_expired', 'vr_2'),
    ],
    state: 'in_review',
    used: 3,
    reactions: [...RETRY, ...REVIEW],
    cause: 'in_review:attempts_exhausted',
  },
  {
    name: 'redaction keeps the mapping and tells the app once',
    events: [a.processing(120), a.verified(130), a.redacted(500), a.redacted(501)],
    state: 'verified',
    used: 0,
    reactions: [...VERIFIED, ...REDACTED],
  },
  {
    name: 'a canceled session cancels a subject with no other session',
    events: [a.created(110), a.canceled(120)],
    state: 'canceled',
    used: 0,
    reactions: CANCELED,
    cause: 'canceled:vs_a',
  },
  {
    name: 'canceling a failed session cancels the subject but keeps the attempt',
    events: [a.failed(130, 'document_expired', 'vr_1'), a.canceled(140)],
    state: 'canceled',
    used: 1,
    reactions: [...RETRY, ...CANCELED],
  },
  {
    name: 'a new session after a failure keeps retry_required without a second email',
    events: [a.failed(130, 'document_expired', 'vr_1'), b.created(210)],
    state: 'retry_required',
    used: 1,
    reactions: RETRY,
    cause: 'retry_required:vr_1',
  },
  {
    name: 'a resubmission in a new session is processing',
    events: [a.failed(130, 'document_expired', 'vr_1'), b.processing(220)],
    state: 'processing',
    used: 1,
    reactions: RETRY,
  },
  {
    name: 'a second retryable failure asks again, with the newest report',
    events: [a.failed(130, 'document_expired', 'vr_1'), b.failed(230, 'selfie_face_mismatch', 'vr_2')],
    state: 'retry_required',
    used: 2,
    reactions: [...RETRY, ...RETRY],
    cause: 'retry_required:vr_2',
  },
  {
    name: 'a reject failure outranks an earlier review failure',
    events: [a.failed(130, 'selfie_manipulated', 'vr_1'), b.failed(230, 'under_supported_age', 'vr_2')],
    state: 'rejected',
    used: 2,
    reactions: [...REVIEW, ...REJECTED],
    cause: 'rejected:vr_2',
  },
  {
    name: 'a verified session outranks a rejecting failure in another session',
    events: [a.failed(130, 'under_supported_age', 'vr_1'), b.verified(230)],
    state: 'verified',
    used: 1,
    reactions: [...REJECTED, ...VERIFIED],
  },
  {
    name: 'a status Stripe adds later leaves the subject pending',
    events: [a.created(110, { status: 'on_hold' })],
    state: 'pending',
    used: 0,
    reactions: [],
  },
  {
    name: 'policy exhausted: reject sends a subject out of attempts to rejected',
    policy: parsePolicy({ max_attempts: 2, exhausted: 'reject' }),
    events: [a.failed(130, 'document_expired', 'vr_1'), a.failed(150, 'document_expired', 'vr_2')],
    state: 'rejected',
    used: 2,
    reactions: [...RETRY, ...REJECTED],
    cause: 'rejected:attempts_exhausted',
  },
  {
    name: 'policy exhausted: alternative offers the alternative method',
    policy: parsePolicy({ max_attempts: 1, exhausted: 'alternative' }),
    events: [a.failed(130, 'document_expired', 'vr_1')],
    state: 'in_review',
    used: 1,
    reactions: ALTERNATIVE,
    cause: 'in_review:attempts_exhausted',
  },
  {
    name: 'a policy category override changes the outcome of a code',
    policy: parsePolicy({ categories: { document_expired: 'reject' } }),
    events: [a.failed(130, 'document_expired', 'vr_1')],
    state: 'rejected',
    used: 1,
    reactions: REJECTED,
  },
  {
    name: "idv's own mapping links a session without metadata",
    storedRefs: { vs_x: 'u1' },
    events: [sessionEvents('vs_x', null, 100).verified(130)],
    state: 'verified',
    used: 0,
    reactions: VERIFIED,
  },
];

describe('subject outcome table (events → state, attempts, reactions)', () => {
  it.each([...CODE_ROWS, ...SCENARIO_ROWS])('$name', async (row) => {
    const run = await runStream(row.events, {
      ...(row.policy === undefined ? {} : { policy: row.policy }),
      ...(row.storedRefs === undefined ? {} : { storedRefs: row.storedRefs }),
    });
    const view = run.views.get('u1');
    expect(view?.state).toBe(row.state);
    expect(view?.attempts.used).toBe(row.used);
    expect(view?.attempts.left).toBe(Math.max(0, (row.policy ?? DEFAULT_POLICY).maxAttempts - row.used));
    expect(kindsAndTopics(run.reactions)).toEqual(row.reactions);
    if (row.cause !== undefined) expect(view?.cause.key).toBe(row.cause);
    const keys = run.reactions.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('announcements', () => {
  it('an outcome that comes back after a different announcement is announced again under a fresh key', async () => {
    // Out of order: the newer session B fails and is canceled before the older session A's failure
    // arrives. The app last heard "canceled", so it must hear "retry required" again; the same key
    // would be dropped by the outbox as a repeat.
    const run = await runStream([
      b.failed(230, 'selfie_face_mismatch', 'vr_2'),
      b.canceled(240),
      a.failed(130, 'document_expired', 'vr_1'),
    ]);
    expect(run.views.get('u1')?.cause.key).toBe('retry_required:vr_2');
    expect(run.reactions.map((r) => r.idempotencyKey)).toEqual([
      'u1:email:retry_required:retry_required:vr_2',
      'u1:callback:verification.retry_required:retry_required:vr_2',
      'u1:callback:verification.canceled:canceled:vs_b',
      'u1:email:retry_required:retry_required:vr_2#2',
      'u1:callback:verification.retry_required:retry_required:vr_2#2',
    ]);
  });

  it('an outcome that comes back through a waypoint only is not announced again', () => {
    const events = [a.failed(130, 'document_expired', 'vr_1'), b.processing(220), b.canceled(240)];
    let before: SubjectView | null = null;
    let announcements: AnnouncementLog = EMPTY_ANNOUNCEMENTS;
    const planned: string[] = [];
    const sessions = new Map<string, SessionRecord>();
    for (const payload of events) {
      const ev = parseSessionEvent(payload);
      if (ev === null) throw new Error('fixture did not parse');
      const { record } = applySessionEvent(sessions.get(ev.session.id) ?? null, ev, 'u1');
      sessions.set(record.id, record);
      const step = stepSubject({
        ref: 'u1',
        before,
        announcements,
        sessions: [...sessions.values()],
        policy: DEFAULT_POLICY,
        manualDecision: null,
        eventId: ev.eventId,
        now: 1,
      });
      planned.push(...step.reactions.map((r) => r.idempotencyKey));
      before = step.view;
      announcements = step.announcements;
    }
    expect(before?.state).toBe('retry_required');
    expect(planned).toEqual([
      'u1:email:retry_required:retry_required:vr_1',
      'u1:callback:verification.retry_required:retry_required:vr_1',
    ]);
    expect(announcements).toEqual({
      last: { state: 'retry_required', cause: { key: 'retry_required:vr_1' } },
      counts: { 'retry_required:vr_1': 1 },
    });
  });
});

describe('deriveSubject', () => {
  it('a subject without sessions is unverified', () => {
    const view = deriveSubject({ ref: 'u1', sessions: [], policy: DEFAULT_POLICY, manualDecision: null });
    expect(view).toMatchObject({
      state: 'unverified',
      attempts: { used: 0, max: 3, left: 3 },
      cause: { key: 'unverified' },
    });
  });

  it('document_expired carries the reason the user may see', async () => {
    const run = await runStream([
      a.failed(130, 'document_expired', 'vr_1', { reason: 'The document is expired.' }),
    ]);
    const view = run.views.get('u1');
    expect(view?.cause.lastError).toEqual({ code: 'document_expired', reason: 'The document is expired.' });
    expect(view?.cause.category).toBe('retry');
    expect(run.reactions[0]?.lastError?.reason).toBe('The document is expired.');
  });

  it('is the same whatever order the session records are given in', async () => {
    const run = await runStream([
      a.failed(130, 'document_expired', 'vr_1'),
      b.failed(230, 'selfie_manipulated', 'vr_2'),
      c.processing(320),
    ]);
    const sessions = [...run.sessions.values()];
    const forward = deriveSubject({ ref: 'u1', sessions, policy: DEFAULT_POLICY, manualDecision: null });
    const backward = deriveSubject({
      ref: 'u1',
      sessions: [...sessions].reverse(),
      policy: DEFAULT_POLICY,
      manualDecision: null,
    });
    expect(backward).toEqual(forward);
    expect(forward.cause.key).toBe('in_review:vr_2');
  });

  it.each([
    ['approve', 'verified', VERIFIED],
    ['reject', 'rejected', REJECTED],
  ] as const)(
    'a manual %s decision overrides the sessions and is announced',
    async (decision, state, reactions) => {
      const run = await runStream([a.failed(130, 'selfie_manipulated', 'vr_1')]);
      const step = stepSubject({
        ref: 'u1',
        before: run.views.get('u1') ?? null,
        sessions: [...run.sessions.values()],
        policy: DEFAULT_POLICY,
        manualDecision: { decision, reviewId: 'rev_1', decidedBy: 'ops@example.com', note: 'checked' },
        eventId: null,
        now: 1_800_000_000,
      });
      expect(step.view.state).toBe(state);
      expect(step.view.cause.key).toBe(`manual:${decision}`);
      expect(kindsAndTopics(step.reactions)).toEqual(reactions);
      expect(step.history).toMatchObject({
        from: 'in_review',
        to: state,
        eventId: null,
        decision: 'manual_decision',
      });
    },
  );

  it('an unlinked session belongs to no subject', async () => {
    const run = await runStream([sessionEvents('vs_z', null).verified(130)]);
    expect(run.views.size).toBe(0);
    expect(run.sessions.get('vs_z')?.subjectRef).toBeNull();
    expect(run.reactions).toEqual([]);
  });
});
