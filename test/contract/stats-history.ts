/**
 * A known history for the insights figures, written by hand and loaded through the real worker path (the
 * domain's event application, Store.applyEvents) with chosen clocks, so every expected figure in
 * stats.contract.test.ts can be worked out on paper. Times are around the end of summer time in Paris
 * (Sunday 25 October 2026, 03:00 CEST → 02:00 CET), so the day of 25 October lasts 25 hours there.
 *
 * Subjects, by when idv first recorded them (UTC):
 *   G 23 Oct 12:00  document_expired, then verified       (before the Paris range: counted nowhere)
 *   J 24 Oct 09:00  selfie_manipulated → review, approved by the application (no audit line) at 12:00
 *   A 24 Oct 10:00  created, processing, verified at 10:10
 *   B 24 Oct 22:30  (25 Oct in Paris) document_expired, the same failure again as a second Event object,
 *                   then a new session verified at 00:30 whose `processing` event arrives an hour later
 *   C 25 Oct 22:30  (still 25 Oct in Paris: the 25-hour day) selfie_manipulated → review, approved by
 *                   operator op_1 at 26 Oct 09:00
 *   D 26 Oct 10:00  document_expired twice, selfie_face_mismatch: attempts exhausted → review, rejected by
 *                   op_2 at 12:00
 *   E 26 Oct 11:00  created, canceled
 *   F 26 Oct 12:00  created (pending)
 *   H 26 Oct 13:00  processing, verified at 13:05, then a failure of the same session that happened before
 *                   the verification arrives at 13:06 (a late failure: counted, the subject stays verified)
 *   I 26 Oct 14:00  consent_declined without a report → review (alternative method), still open
 *   K 26 Oct 23:00  created (pending): the first instant after the Paris range
 */
import { DEFAULT_POLICY, parseSessionEvent } from '../../src/domain/index.js';
import { eventApplication } from '../../src/outcomes/apply-event.js';
import { decideOpenReview } from '../../src/outcomes/decide-review.js';
import type { Store } from '../../src/store/store.js';
import { sessionEvent } from '../helpers/stripe-events.js';
import { applyOne, newEvent } from './fixtures.js';

export const utc = (text: string): number => Date.parse(`${text}Z`);
const MINUTE = 60_000;

interface Step {
  ref: string;
  vs: string;
  type: 'created' | 'processing' | 'requires_input' | 'verified' | 'canceled';
  /** When idv applies it (ms). */
  now: number;
  /** Stripe's `created` of the event (ms); defaults to `now`. */
  created?: number;
  code?: string;
  report?: string | null;
}

let serial = 0;

async function apply(store: Store, step: Step): Promise<void> {
  serial += 1;
  const created = Math.floor((step.created ?? step.now) / 1000);
  const payload = sessionEvent({
    id: `evt_stats_${String(serial).padStart(3, '0')}_${step.ref}`,
    type: `identity.verification_session.${step.type}`,
    sessionId: step.vs,
    subject: step.ref,
    created,
    ...(step.code !== undefined ? { code: step.code } : {}),
    ...(step.report !== undefined ? { reportId: step.report } : {}),
  });
  const event = newEvent({
    id: payload.id as string,
    type: payload.type as string,
    created,
    objectId: step.vs,
    payload: JSON.stringify(payload),
    receivedAt: step.now,
  });
  await store.insertEvent(event);
  const [claim] = await store.claimEvents({ owner: 'stats', limit: 1, leaseMs: 30_000, now: step.now });
  if (claim?.id !== event.id) throw new Error(`expected to claim ${event.id}`);
  const parsed = parseSessionEvent(JSON.parse(claim.payload));
  if (parsed === null) throw new Error(`not a session event: ${event.id}`);
  const app = eventApplication(parsed, DEFAULT_POLICY, step.now);
  const outcome = await applyOne(
    store,
    { eventId: claim.id, owner: 'stats', sessionId: step.vs },
    app,
    step.now,
  );
  if (outcome !== 'applied') throw new Error(`${event.id}: ${outcome}`);
}

const fail = (ref: string, vs: string, now: number, code: string, report: string | null): Step => ({
  ref,
  vs,
  type: 'requires_input',
  now,
  code,
  report,
});

/** The events in the order idv receives them. */
function steps(): Step[] {
  const tG = utc('2026-10-23T12:00');
  const tJ = utc('2026-10-24T09:00');
  const tA = utc('2026-10-24T10:00');
  const tB = utc('2026-10-24T22:30');
  const tC = utc('2026-10-25T22:30');
  const tD = utc('2026-10-26T10:00');
  const tE = utc('2026-10-26T11:00');
  const tH = utc('2026-10-26T13:00');
  return [
    fail('stats_g', 'vs_stats_g1', tG, 'document_expired', 'vr_stats_g1'),
    { ref: 'stats_g', vs: 'vs_stats_g2', type: 'verified', now: tG + 60 * MINUTE, report: 'vr_stats_g2' },
    fail('stats_j', 'vs_stats_j1', tJ, 'selfie_manipulated', 'vr_stats_j1'),
    { ref: 'stats_a', vs: 'vs_stats_a1', type: 'created', now: tA },
    { ref: 'stats_a', vs: 'vs_stats_a1', type: 'processing', now: tA + 5 * MINUTE },
    { ref: 'stats_a', vs: 'vs_stats_a1', type: 'verified', now: tA + 10 * MINUTE, report: 'vr_stats_a1' },
    fail('stats_b', 'vs_stats_b1', tB, 'document_expired', 'vr_stats_b1'),
    // Stripe's second Event object for the same failure: the same report, so the same submission.
    fail('stats_b', 'vs_stats_b1', tB + MINUTE, 'document_expired', 'vr_stats_b1'),
    { ref: 'stats_b', vs: 'vs_stats_b2', type: 'verified', now: tB + 120 * MINUTE, report: 'vr_stats_b2' },
    {
      ref: 'stats_b',
      vs: 'vs_stats_b2',
      type: 'processing',
      now: tB + 180 * MINUTE,
      created: tB + 110 * MINUTE,
    },
    fail('stats_c', 'vs_stats_c1', tC, 'selfie_manipulated', 'vr_stats_c1'),
    fail('stats_d', 'vs_stats_d1', tD, 'document_expired', 'vr_stats_d1'),
    fail('stats_d', 'vs_stats_d2', tD + 10 * MINUTE, 'document_expired', 'vr_stats_d2'),
    fail('stats_d', 'vs_stats_d3', tD + 20 * MINUTE, 'selfie_face_mismatch', 'vr_stats_d3'),
    { ref: 'stats_e', vs: 'vs_stats_e1', type: 'created', now: tE },
    { ref: 'stats_e', vs: 'vs_stats_e1', type: 'canceled', now: tE + MINUTE },
    { ref: 'stats_f', vs: 'vs_stats_f1', type: 'created', now: utc('2026-10-26T12:00') },
    { ref: 'stats_h', vs: 'vs_stats_h1', type: 'processing', now: tH },
    {
      ref: 'stats_h',
      vs: 'vs_stats_h1',
      type: 'verified',
      now: tH + 5 * MINUTE,
      created: tH + 4 * MINUTE,
      report: 'vr_stats_h1b',
    },
    {
      ...fail('stats_h', 'vs_stats_h1', tH + 6 * MINUTE, 'document_unverified_other', 'vr_stats_h1a'),
      created: tH + 2 * MINUTE,
    },
    fail('stats_i', 'vs_stats_i1', utc('2026-10-26T14:00'), 'consent_declined', null),
    { ref: 'stats_k', vs: 'vs_stats_k1', type: 'created', now: utc('2026-10-26T23:00') },
  ];
}

async function decide(
  store: Store,
  ref: string,
  decision: 'approve' | 'reject',
  at: number,
  operatorId: string | null,
): Promise<void> {
  const [open] = await store.listReviews({ subjectRef: ref, status: 'open', limit: 1 });
  if (!open) throw new Error(`no open case for ${ref}`);
  await decideOpenReview(
    { store, policy: DEFAULT_POLICY, clock: () => at },
    { reviewId: open.id, decision, note: 'checked by hand', actor: operatorId ?? 'application' },
  );
  // The admin API writes this line; library mode (operatorId null) does not.
  if (operatorId !== null) {
    await store.recordAudit({
      at,
      actor: `name of ${operatorId}`,
      actorId: operatorId,
      action: `review.${decision}`,
      subjectRef: ref,
      target: open.id,
    });
  }
}

/**
 * Runs every reaction: D's rejection email and G's first email go dead, B's first callback fails and
 * waits for a retry; everything else is done.
 */
async function runReactions(store: Store): Promise<void> {
  const now = utc('2026-10-27T12:00');
  const claimed = await store.claimReactions({ owner: 'stats', limit: 500, leaseMs: 30_000, now });
  for (const r of claimed) {
    const key = r.reaction.idempotencyKey;
    const dead =
      key === 'stats_d:email:rejected:manual:reject' ||
      key === 'stats_g:email:retry_required:retry_required:vr_stats_g1';
    const failed = key === 'stats_b:callback:verification.retry_required:retry_required:vr_stats_b1';
    await store.finishReaction({
      id: r.id,
      owner: 'stats',
      now,
      outcome: dead || failed ? 'failed' : 'done',
      detail: dead || failed ? 'answered 500' : null,
      retryAt: failed ? now + 60_000 : null,
    });
  }
}

export async function loadKnownHistory(store: Store): Promise<void> {
  const all = steps();
  const before = (t: number) => all.filter((s) => s.now < t);
  const after = (t: number) => all.filter((s) => s.now >= t);
  const approveJ = utc('2026-10-24T12:00');
  const approveC = utc('2026-10-26T09:00');
  const rejectD = utc('2026-10-26T12:00');
  for (const step of before(approveJ)) await apply(store, step);
  await decide(store, 'stats_j', 'approve', approveJ, null);
  for (const step of after(approveJ).filter((s) => s.now < approveC)) await apply(store, step);
  await decide(store, 'stats_c', 'approve', approveC, 'op_1');
  for (const step of after(approveC).filter((s) => s.now < rejectD)) await apply(store, step);
  await decide(store, 'stats_d', 'reject', rejectD, 'op_2');
  for (const step of after(rejectD)) await apply(store, step);
  await runReactions(store);
}
