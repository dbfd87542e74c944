/**
 * Erasure of one user (`DELETE /v1/subjects/:ref`): their sessions are redacted at Stripe (with a key),
 * then every personal field idv holds about them is purged in one transaction — the subject's email, the
 * operators' names and notes on its cases, in its history and in its manual decision, the personal fields
 * of every stored event of its sessions — and a tombstone is kept: states, times and ids, so the app's
 * later questions get a clear answer (410 subject_erased) and a late event cannot bring data back.
 *
 * Stripe first: if a session cannot be redacted yet (a submission is processing, reference §2.2), nothing
 * is erased here and the caller is told to try again, so idv never claims an erasure Stripe did not do.
 */
import type { ManualDecision } from '../domain/index.js';
import { IdvError } from '../errors.js';
import type { AuditEntry, SubjectChange, SubjectSnapshot, SubjectsAndReviews } from '../store/store.js';
import type { StripeGateway } from '../stripe/gateway.js';
import { StripeGatewayError } from '../stripe/gateway.js';
import { splitSubjectKey } from '../domain/index.js';
import { redactPayload } from '../stripe/redact-payload.js';

export interface Actor {
  /** Shown in the audit log (personal: encrypted at rest). */
  name: string;
  /** Stable and not personal: `app`, `admin`, an operator id. */
  id: string;
}

export async function eraseSubject(
  deps: {
    store: Pick<SubjectsAndReviews, 'updateSubject'>;
    stripe: StripeGateway | undefined;
    clock: () => number;
  },
  ref: string,
  actor: Actor,
): Promise<{ erased: boolean }> {
  const snapshot = await deps.store.updateSubject(ref, (s) => ({ change: null, result: s }), deps.clock());
  if (!snapshot.subject) throw new IdvError('not_found', `No subject ${ref}.`);
  if (snapshot.subject.erasedAt !== null) return { erased: true };
  if (deps.stripe) await redactAtStripe(deps.stripe, snapshot);
  const now = deps.clock();
  await deps.store.updateSubject(
    ref,
    (current) => ({ change: erasureChange(ref, current, actor, now), result: null }),
    now,
  );
  return { erased: true };
}

async function redactAtStripe(stripe: StripeGateway, snapshot: SubjectSnapshot): Promise<void> {
  for (const session of snapshot.sessions) {
    if (session.record?.redactionRequested || session.record?.redacted) continue;
    try {
      await stripe.redactSession(session.id, splitSubjectKey(session.subjectRef ?? '').account);
    } catch (err) {
      if (!(err instanceof StripeGatewayError)) throw err;
      if (err.statusCode === 404) continue; // a session Stripe no longer knows has nothing left to redact
      const processing = session.record?.status === 'processing';
      throw new IdvError(
        processing ? 'conflict' : 'stripe_error',
        processing
          ? `Session ${session.id} is processing a submission; Stripe redacts it only once that is done. Try again shortly.`
          : `Stripe did not redact session ${session.id}: ${err.message}`,
        processing ? undefined : { request_id: err.requestId },
      );
    }
  }
}

/** The change that leaves only a tombstone: the view (states and times), the decision without who or why. */
export function erasureChange(
  ref: string,
  snapshot: SubjectSnapshot,
  actor: Actor,
  now: number,
): SubjectChange | null {
  const subject = snapshot.subject;
  if (!subject) return null;
  const audit: AuditEntry = {
    at: now,
    actor: actor.name,
    actorId: actor.id,
    action: 'subject.erase',
    subjectRef: ref,
    target: null,
  };
  return {
    sessions: [],
    subject: {
      ref,
      view: subject.view,
      manualDecision: withoutPersonalData(subject.manualDecision),
      announcements: subject.announcements ?? { last: null, counts: {} },
      email: null,
      // States, times and codes stay with the tombstone, so the figures count the subject as before.
      facts: subject.facts,
    },
    history: [],
    reactions: [],
    rewritePayloads: { sessionIds: snapshot.sessions.map((s) => s.id), rewrite: redactPayload },
    erase: { at: now },
    audit: [audit],
  };
}

function withoutPersonalData(decision: ManualDecision | null): ManualDecision | null {
  return (
    decision && { decision: decision.decision, reviewId: decision.reviewId ?? null, at: decision.at ?? null }
  );
}
