/**
 * The one place that turns a subject's snapshot and a domain step into the SubjectChange a store writes.
 * Every decision — an event applied by the worker, an operator's decision, a session opened for the app —
 * ends here, so the rules that used to hide in SQL are written once:
 * - a planned `review_case` reaction opens a review case (its id made here, its reason the subject's cause);
 *   a case without a subject is never opened;
 * - a subject that leaves `in_review` closes its open case as `superseded` (no operator acts on it);
 * - history entries carry the step's time (milliseconds) and the actor;
 * - the insights facts (domain/subject-facts.ts) follow from the stored ones, the history written and the
 *   sessions after the change, and only failure codes whose counts changed are written.
 */
import { randomUUID } from 'node:crypto';
import {
  stepSubject,
  type ManualDecision,
  type PlannedReaction,
  type Policy,
  type SessionMatch,
  type SessionRecord,
  type SubjectStep,
} from '../domain/index.js';
import { changedFailureCodes, subjectFacts } from '../domain/subject-facts.js';
import type { NewReview, StoredSession, SubjectChange, SubjectSnapshot } from '../store/records.js';
import type { ExpectationWrite } from '../store/expectation-records.js';

export function newReviewId(): string {
  return `rev_${randomUUID().replaceAll('-', '')}`;
}

/** Steps the subject of `snapshot` over `sessions` (its records after the decision) and `manualDecision`. */
export function stepFromSnapshot(input: {
  ref: string;
  snapshot: SubjectSnapshot;
  sessions: SessionRecord[];
  manualDecision: ManualDecision | null;
  policy: Policy;
  eventId: string | null;
  /** Milliseconds since the epoch. */
  now: number;
  /** Comparisons decided in this step, over the snapshot's. */
  matches?: Readonly<Record<string, SessionMatch>>;
}): SubjectStep {
  const { snapshot } = input;
  return stepSubject({
    ref: input.ref,
    sessions: input.sessions,
    policy: input.policy,
    manualDecision: input.manualDecision,
    matches: { ...matchesOf(snapshot), ...input.matches },
    before: snapshot.subject?.view ?? null,
    ...(snapshot.subject?.announcements ? { announcements: snapshot.subject.announcements } : {}),
    eventId: input.eventId,
    now: input.now,
  });
}

/** The comparisons of verified outputs with expected data in a snapshot, per session id. */
export function matchesOf(snapshot: SubjectSnapshot): Record<string, SessionMatch> {
  return Object.fromEntries((snapshot.expectations ?? []).map((e) => [e.sessionId, e.match]));
}

/** The session records of a snapshot, with `replaced` standing in for its stored version (or added). */
export function sessionRecords(snapshot: SubjectSnapshot, replaced?: SessionRecord): SessionRecord[] {
  const records = snapshot.sessions
    .filter((s) => s.id !== replaced?.id)
    .flatMap((s) => (s.record ? [s.record] : []));
  return replaced ? records.concat(replaced) : records;
}

/**
 * The subject's session records once `written` is stored: a written record replaces the stored one (a
 * written mapping without a record keeps it), and a session linked by this change joins them.
 */
function sessionsAfter(snapshot: SubjectSnapshot, written: readonly StoredSession[]): SessionRecord[] {
  const records = new Map(snapshot.sessions.flatMap((s) => (s.record ? [[s.id, s.record] as const] : [])));
  for (const s of written) if (s.record) records.set(s.id, s.record);
  return [...records.values()];
}

export interface ChangeInput {
  ref: string;
  snapshot: SubjectSnapshot;
  step: SubjectStep;
  manualDecision: ManualDecision | null;
  /** Milliseconds since the epoch: review and history times. */
  now: number;
  sessions?: StoredSession[];
  /** Reactions planned outside the subject step (a session's redaction). */
  reactions?: PlannedReaction[];
  /** undefined keeps the stored address; null erases it. */
  email?: string | null | undefined;
  /** Who decided (an operator); null for Stripe's events. */
  actor?: string | null;
  closeReview?: SubjectChange['closeReview'];
  newReviewId?: () => string;
  /** Expectations this decision writes; others are purged as below. */
  expectations?: ExpectationWrite[];
}

export function subjectChange(input: ChangeInput): SubjectChange {
  const { ref, snapshot, step, now } = input;
  const planned = [...step.reactions, ...(input.reactions ?? [])];
  const caseToOpen = planned.find((r) => r.kind === 'review_case' && r.subjectRef !== null);
  const open = snapshot.openReview;
  const leavesReview = open !== null && open.id !== input.closeReview?.id && step.view.state !== 'in_review';
  const expectations = [...(input.expectations ?? []), ...expiredExpectations(input)];
  const history = step.history ? [{ ...step.history, actor: input.actor ?? null }] : [];
  const failureCodes = changedFailureCodes(
    sessionRecords(snapshot),
    sessionsAfter(snapshot, input.sessions ?? []),
  );
  return {
    sessions: input.sessions ?? [],
    subject: {
      ref,
      view: step.view,
      manualDecision: input.manualDecision,
      announcements: step.announcements,
      ...(input.email !== undefined ? { email: input.email } : {}),
      facts: subjectFacts(snapshot.subject?.facts ?? null, step.view, history),
    },
    history,
    ...(failureCodes.length > 0 ? { failureCodes } : {}),
    reactions: outboxReactions(planned),
    ...(caseToOpen
      ? { openReview: reviewToOpen(caseToOpen, step, now, input.newReviewId ?? newReviewId) }
      : {}),
    ...(input.closeReview ? { closeReview: input.closeReview } : {}),
    ...(leavesReview
      ? { supersedeReview: { id: open.id, note: `The subject left review: ${step.view.state}.`, at: now } }
      : {}),
    ...(expectations.length > 0 ? { expectations } : {}),
  };
}

/**
 * Expected data is kept only until the comparison is done, and while a review case may show it to a
 * reviewer beside the verified outputs; once the subject is out of review it is purged (the match result,
 * which holds no personal values, stays).
 */
function expiredExpectations(input: ChangeInput): ExpectationWrite[] {
  if (input.step.view.state === 'in_review') return [];
  const written = new Set((input.expectations ?? []).map((e) => e.sessionId));
  return (input.snapshot.expectations ?? [])
    .filter((e) => e.hasExpected && e.match.status !== 'pending' && !written.has(e.sessionId))
    .map((e) => ({ sessionId: e.sessionId, subjectRef: e.subjectRef, match: e.match, expected: null }));
}

/** A session no subject could be found for: kept (and listed for operators); there is no subject to step. */
export function unlinkedChange(session: StoredSession, reactions: PlannedReaction[]): SubjectChange {
  return { sessions: [session], subject: null, history: [], reactions: outboxReactions(reactions) };
}

/** Emails and callbacks go to the outbox; review cases are opened as cases, not sent. */
function outboxReactions(planned: PlannedReaction[]): PlannedReaction[] {
  return planned.filter((r) => r.kind !== 'review_case');
}

function reviewToOpen(r: PlannedReaction, step: SubjectStep, now: number, makeId: () => string): NewReview {
  return {
    id: makeId(),
    subjectRef: r.subjectRef!,
    topic: r.topic,
    reason: step.view.cause.reason,
    causeKey: r.idempotencyKey,
    sessionId: r.sessionId,
    openedAt: now,
  };
}
