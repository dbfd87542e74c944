/**
 * Writes one SubjectChange, the same way on both stores: the order of the writes and what is written live
 * here once; each dialect supplies one statement per operation (sqlite/subject-statements.ts,
 * postgres/subject-statements.ts). The change is complete (src/outcomes/ decided everything), so nothing
 * here decides: no ids, reasons or times are made up.
 *
 * SQLite's statements run synchronously inside a better-sqlite3 transaction, PostgreSQL's return promises
 * on one client; `R` is `void` or `Promise<void>`. The writer lists the statements in order; SQLite runs
 * them at once (writeSync), PostgreSQL one after another on its transaction's client (writeInOrder).
 */
import type { PlannedReaction } from '../domain/index.js';
import type { FailureCodeCount } from '../domain/subject-facts.js';
import type { AuditEntry, HistoryWrite, NewReview, StoredSession, SubjectChange } from './records.js';
import type { ExpectationWrite } from './expectation-records.js';

export type SubjectWrite = NonNullable<SubjectChange['subject']>;

export interface SubjectStatements<R> {
  upsertSession(session: StoredSession, now: number): R;
  upsertSubject(subject: SubjectWrite, now: number): R;
  insertHistory(subjectRef: string, entry: HistoryWrite): R;
  /** Sets the subject's count of failed submissions for each code given (one statement for all of them). */
  upsertFailureCodes(subjectRef: string, codes: readonly FailureCodeCount[]): R;
  enqueueReaction(reaction: PlannedReaction, now: number): R;
  openReview(review: NewReview): R;
  closeReview(close: NonNullable<SubjectChange['closeReview']>): R;
  supersedeReview(supersede: NonNullable<SubjectChange['supersedeReview']>): R;
  rewritePayloads(rewrite: NonNullable<SubjectChange['rewritePayloads']>): R;
  eraseSubject(subjectRef: string, at: number): R;
  insertAudit(entry: AuditEntry): R;
  upsertExpectation(expectation: ExpectationWrite, now: number): R;
}

/** Every statement of `change`, in the order they must run. */
export function subjectWrites<R>(
  statements: SubjectStatements<R>,
  change: SubjectChange,
  now: number,
): (() => R)[] {
  const writes: (() => R)[] = [];
  for (const session of change.sessions) writes.push(() => statements.upsertSession(session, now));
  const subject = change.subject;
  if (subject) {
    writes.push(() => statements.upsertSubject(subject, now));
    for (const entry of change.history) writes.push(() => statements.insertHistory(subject.ref, entry));
    const codes = change.failureCodes ?? [];
    if (codes.length > 0) writes.push(() => statements.upsertFailureCodes(subject.ref, codes));
  }
  for (const reaction of change.reactions) writes.push(() => statements.enqueueReaction(reaction, now));
  // Closing before opening: a decision and the next case may come in one change.
  const { closeReview, supersedeReview, openReview, rewritePayloads } = change;
  if (closeReview) writes.push(() => statements.closeReview(closeReview));
  if (supersedeReview) writes.push(() => statements.supersedeReview(supersedeReview));
  if (openReview) writes.push(() => statements.openReview(openReview));
  if (rewritePayloads) writes.push(() => statements.rewritePayloads(rewritePayloads));
  for (const e of change.expectations ?? []) writes.push(() => statements.upsertExpectation(e, now));
  const erase = change.erase;
  if (erase && subject) writes.push(() => statements.eraseSubject(subject.ref, erase.at));
  for (const entry of change.audit ?? []) writes.push(() => statements.insertAudit(entry));
  return writes;
}

export function writeSync(statements: SubjectStatements<void>, change: SubjectChange, now: number): void {
  for (const write of subjectWrites(statements, change, now)) write();
}

export async function writeInOrder(
  statements: SubjectStatements<Promise<void>>,
  change: SubjectChange,
  now: number,
): Promise<void> {
  for (const write of subjectWrites(statements, change, now)) await write();
}
