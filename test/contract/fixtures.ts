/**
 * Inputs for the contract suite. The store never interprets domain JSON beyond the columns it indexes
 * (session status, subject state, cause reason), so these records carry only what a test asserts on and are
 * cast to the domain types; the worker's real EventApplication is exercised too (store.contract.test.ts).
 */
import type { AnnouncementLog, PlannedReaction, SessionRecord, SubjectView } from '../../src/domain/index.js';
import type {
  EventApplication,
  EventToApply,
  NewEvent,
  Store,
  StoredSession,
  SubjectChange,
} from '../../src/store/store.js';

export const T0 = 1_700_000_000_000;

let seq = 0;
export function nextId(prefix: string): string {
  seq += 1;
  return `${prefix}_${String(seq).padStart(6, '0')}`;
}

export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  const id = overrides.id ?? nextId('evt');
  return {
    id,
    type: 'identity.verification_session.processing',
    livemode: false,
    created: 1_700_000_000,
    objectId: `vs_for_${id}`,
    status: 'pending',
    ignoredReason: null,
    payload: JSON.stringify({ id, object: 'event' }),
    receivedAt: T0,
    ...overrides,
  };
}

export function sessionRecord(id: string, subjectRef: string | null, status = 'processing'): SessionRecord {
  return { id, subjectRef, status, created: 1_700_000_000, lastError: null } as unknown as SessionRecord;
}

export function subjectView(ref: string, state: string, extra: Record<string, unknown> = {}): SubjectView {
  return {
    ref,
    state,
    attempts: { used: 0, max: 3, left: 3 },
    cause: {
      key: `${state}:x`,
      reason: `because ${state}`,
      sessionId: null,
      lastError: null,
      rule: 'latest',
    },
    ...extra,
  } as unknown as SubjectView;
}

export function reaction(
  kind: 'email' | 'callback' | 'review_case',
  subjectRef: string | null,
  idempotencyKey: string,
  topic = kind === 'review_case' ? 'review' : 'retry_required',
): PlannedReaction {
  return {
    kind,
    topic,
    idempotencyKey,
    subjectRef,
    sessionId: null,
    state: null,
    lastError: null,
    category: null,
    eventId: null,
  } as unknown as PlannedReaction;
}

export function announcements(counts: Record<string, number> = {}): AnnouncementLog {
  return { last: null, counts };
}

/** The insights facts of a subject that has done nothing yet (domain/subject-facts.ts). */
export const NO_FACTS = { firstSubmittedAt: null, verifiedAt: null, attemptsUsed: 0, attemptsLeft: 3 };

/**
 * A change that writes one session, the subject, one history entry and the given reactions; a `review_case`
 * reaction becomes the change's review case, as src/outcomes/subject-change.ts makes it. `at` is the time of
 * the history entry and of the case.
 */
export function subjectChange(
  ref: string,
  sessionId: string,
  state: string,
  reactions: PlannedReaction[] = [],
  extra: Partial<SubjectChange> = {},
  at = T0,
): SubjectChange {
  const review = reactions.find((r) => r.kind === 'review_case');
  return {
    sessions: [{ id: sessionId, subjectRef: ref, record: sessionRecord(sessionId, ref, state) }],
    subject: {
      ref,
      view: subjectView(ref, state),
      manualDecision: null,
      announcements: announcements({ [`${state}:x`]: 1 }),
      facts: NO_FACTS,
    },
    history: [
      {
        at,
        from: null,
        to: state,
        eventId: 'evt_cause',
        reason: `because ${state}`,
        decision: 'latest:test',
        causeKey: `${state}:x`,
      } as SubjectChange['history'][number],
    ],
    reactions: reactions.filter((r) => r.kind !== 'review_case'),
    ...(review
      ? {
          openReview: {
            id: nextId('rev'),
            subjectRef: ref,
            topic: review.topic,
            reason: `because ${state}`,
            causeKey: review.idempotencyKey,
            sessionId: review.sessionId,
            openedAt: at,
          },
        }
      : {}),
    ...extra,
  };
}

/** An application that resolves `ref` and writes `change`, recording what it was shown. */
export function application(
  ref: string | null,
  change: SubjectChange,
): EventApplication & { seen: { stored: StoredSession | null; sessions: number | null }[] } {
  const seen: { stored: StoredSession | null; sessions: number | null }[] = [];
  return {
    seen,
    resolveSubject: () => ref,
    decide(stored, snapshot) {
      seen.push({ stored, sessions: snapshot ? snapshot.sessions.length : null });
      return change;
    },
  };
}

/** One claimed event through Store.applyEvents, answered as a single call: its outcome, or its error thrown. */
export async function applyOne(
  store: Store,
  claim: EventToApply['claim'],
  application: EventApplication,
  now: number,
): Promise<'applied' | 'lease_lost'> {
  const [outcome] = await store.applyEvents([{ claim, application }], now);
  if (outcome === undefined) throw new Error('applyEvents answered nothing');
  if (typeof outcome === 'object') throw outcome.error;
  return outcome;
}
