/**
 * What `POST /v1/subjects/:ref/sessions` should do for a subject, decided from its snapshot alone (pure):
 * refuse (409 with a DESIGN.md code), reuse an open session, or create one.
 *
 * - Refusals follow the subject's state and the policy: `verified` → already_verified, `rejected` →
 *   rejected, no attempts left → attempts_exhausted, `in_review` → in_review; while a submission is
 *   `processing` a new session would race it, so that is a plain conflict.
 * - Reuse, as Stripe recommends (reference §2.1, §8: "reuse it if interrupted"): a session idv created that
 *   has no event yet, or one still in `requires_input` while the subject waits for the user.
 * - Create with an idempotency key derived from the subject, its attempts used and how many sessions it
 *   has: every request that sees the same snapshot sends the same key and Stripe answers with the same
 *   session, so concurrent requests cannot open more sessions than the attempts allow. After a session
 *   becomes unusable (canceled) the next request sees one more session and gets a new key.
 */
import { deriveSubject, type Policy, type SubjectView } from '../domain/index.js';
import type { StoredSession, SubjectSnapshot } from '../store/records.js';
import { headerSafeKey } from '../reactions/header-key.js';

export type RefusalCode = 'already_verified' | 'rejected' | 'attempts_exhausted' | 'in_review' | 'conflict';

export type SessionPlan =
  | { action: 'refuse'; code: RefusalCode; message: string }
  /** Try these (newest first); if none is usable any more, create with `idempotencyKey`. */
  | { action: 'open'; reuse: string[]; idempotencyKey: string };

export function currentView(ref: string, snapshot: SubjectSnapshot, policy: Policy): SubjectView {
  return (
    snapshot.subject?.view ??
    deriveSubject({
      ref,
      sessions: snapshot.sessions.flatMap((s) => (s.record ? [s.record] : [])),
      policy,
      manualDecision: null,
      matches: Object.fromEntries((snapshot.expectations ?? []).map((e) => [e.sessionId, e.match])),
    })
  );
}

export function planSessionRequest(ref: string, snapshot: SubjectSnapshot, policy: Policy): SessionPlan {
  const view = currentView(ref, snapshot, policy);
  const refuse = (code: RefusalCode, message: string): SessionPlan => ({ action: 'refuse', code, message });
  switch (view.state) {
    case 'verified':
      return refuse('already_verified', `Subject ${ref} is already verified.`);
    case 'rejected':
      return refuse('rejected', `Subject ${ref} was rejected; the decision is final.`);
    default:
      break;
  }
  if (view.attempts.left <= 0 || view.cause.rule === 'attempts_exhausted') {
    return refuse(
      'attempts_exhausted',
      `Subject ${ref} has used all ${view.attempts.max} verification attempts.`,
    );
  }
  if (view.state === 'in_review')
    return refuse('in_review', `Subject ${ref} is waiting for a manual review.`);
  if (view.state === 'processing') {
    return refuse('conflict', `A submission of subject ${ref} is being checked; wait for its outcome.`);
  }

  const waiting = view.state === 'retry_required' || view.state === 'pending';
  const reusable = snapshot.sessions.filter(
    (s) =>
      s.record === null || (waiting && s.record.status === 'requires_input' && !s.record.redactionRequested),
  );
  return {
    action: 'open',
    reuse: reusable.sort(newestFirst).map((s) => s.id),
    // Sent as a header: a ref outside Latin-1 would make the request fail before it leaves (header-key.ts).
    idempotencyKey: headerSafeKey(
      `idv-session:${ref}:attempt-${view.attempts.used}:n${snapshot.sessions.length}`,
    ),
  };
}

/** Sessions without a record (just created by idv) first, then by Stripe's `created`, newest first. */
function newestFirst(a: StoredSession, b: StoredSession): number {
  if (a.record === null || b.record === null)
    return (a.record === null ? 0 : 1) - (b.record === null ? 0 : 1);
  return b.record.created - a.record.created || (a.id < b.id ? 1 : -1);
}
