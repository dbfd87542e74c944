/**
 * Inputs for the contract suite. The store never interprets domain JSON beyond the columns it indexes
 * (session status, subject state, cause reason), so these records carry only what a test asserts on and are
 * cast to the domain types; the worker's real EventApplication is exercised too (store.contract.test.ts).
 */
import type { AnnouncementLog, PlannedReaction, SessionRecord, SubjectView } from '../../src/domain/index.js';
import type { EventApplication, NewEvent, StoredSession, SubjectChange } from '../../src/store/store.js';

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

/** A change that writes one session, the subject, one history entry and the given reactions. */
export function subjectChange(
  ref: string,
  sessionId: string,
  state: string,
  reactions: PlannedReaction[] = [],
  extra: Partial<SubjectChange> = {},
): SubjectChange {
  return {
    sessions: [{ id: sessionId, subjectRef: ref, record: sessionRecord(sessionId, ref, state) }],
    subject: {
      ref,
      view: subjectView(ref, state),
      manualDecision: null,
      announcements: announcements({ [`${state}:x`]: 1 }),
    },
    history: [
      {
        at: 1_700_000_000,
        from: null,
        to: state,
        eventId: 'evt_cause',
        reason: `because ${state}`,
        decision: 'latest:test',
        causeKey: `${state}:x`,
      } as SubjectChange['history'][number],
    ],
    reactions,
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
