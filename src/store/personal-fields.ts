/**
 * Which stored fields are personal data, and how each is sealed on the way into a store and opened on the
 * way out (encrypting-store.ts). Personal here: the subject's email, every stored event payload (Stripe's
 * session snapshot holds `provided_details`), operators' names and their notes (on review cases, in
 * history and in the subject's manual decision; operator-records.ts: operator names and audit actors). Field by field, so the columns a store indexes or
 * aggregates (states, times, codes, ids) stay readable.
 */
import type { ManualDecision } from '../domain/index.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';
import type { HistoryRecord, ReviewRecord, SubjectChange, SubjectSnapshot } from './records.js';
import type { ExpectationValues, ExpectationWrite } from './expectation-records.js';

type Transform = (value: string) => string;

const nullable =
  (f: Transform) =>
  <T extends string | null | undefined>(value: T): T =>
    (typeof value === 'string' ? f(value) : value) as T;

function decision(d: ManualDecision | null, f: Transform): ManualDecision | null {
  if (d === null) return null;
  const g = nullable(f);
  return { ...d, decidedBy: g(d.decidedBy), note: g(d.note) };
}

export function reviewWith(review: ReviewRecord, f: Transform): ReviewRecord {
  const g = nullable(f);
  return { ...review, note: g(review.note), actor: g(review.actor), owner: g(review.owner) };
}

/** Expected data and kept verified outputs (expectation-records.ts) are encrypted whole. */
export function expectationWith<T extends ExpectationValues | ExpectationWrite>(e: T, f: Transform): T {
  const g = nullable(f);
  return {
    ...e,
    ...(e.expected !== undefined ? { expected: g(e.expected) } : {}),
    ...(e.verified !== undefined ? { verified: g(e.verified) } : {}),
  };
}

export function historyWith(history: HistoryRecord[], f: Transform): HistoryRecord[] {
  const g = nullable(f);
  return history.map((h) => ({ ...h, actor: g(h.actor) }));
}

export function openSnapshot<T extends SubjectSnapshot | null>(snapshot: T, cipher: PersonalDataCipher): T {
  if (snapshot === null) return snapshot;
  const f = (v: string) => cipher.decrypt(v);
  const subject = snapshot.subject && {
    ...snapshot.subject,
    email: nullable(f)(snapshot.subject.email),
    manualDecision: decision(snapshot.subject.manualDecision, f),
  };
  return {
    ...snapshot,
    subject,
    openReview: snapshot.openReview && reviewWith(snapshot.openReview, f),
  };
}

export function sealChange(change: SubjectChange, cipher: PersonalDataCipher): SubjectChange {
  const f = (v: string) => cipher.encrypt(v);
  const g = nullable(f);
  const sealed: SubjectChange = {
    ...change,
    subject: change.subject && {
      ...change.subject,
      manualDecision: decision(change.subject.manualDecision, f),
      ...(change.subject.email !== undefined ? { email: g(change.subject.email) } : {}),
    },
    history: change.history.map((h) => ({ ...h, actor: g(h.actor) })),
  };
  if (change.closeReview) {
    sealed.closeReview = {
      ...change.closeReview,
      note: f(change.closeReview.note),
      actor: f(change.closeReview.actor),
    };
  }
  if (change.expectations) sealed.expectations = change.expectations.map((e) => expectationWith(e, f));
  if (change.audit) sealed.audit = change.audit.map((a) => ({ ...a, actor: f(a.actor) }));
  if (change.rewritePayloads) {
    const { rewrite } = change.rewritePayloads;
    sealed.rewritePayloads = {
      ...change.rewritePayloads,
      rewrite: (payload) => cipher.encrypt(rewrite(cipher.decrypt(payload))),
    };
  }
  return sealed;
}
