/**
 * Writes one SubjectChange, the same way on both stores: the order of the writes and what is written live
 * here once; each dialect supplies one statement per operation (sqlite/subject-statements.ts,
 * postgres/subject-statements.ts). The change is complete (src/outcomes/ decided everything), so nothing
 * here decides: no ids, reasons or times are made up.
 *
 * SQLite's statements run synchronously inside a better-sqlite3 transaction, PostgreSQL's return promises
 * on one client; `R` is `void` or `Promise<void>`. node-postgres runs the queries of one client in the
 * order they were issued, so issuing them all and then awaiting them keeps this order on both stores.
 */
import type { PlannedReaction } from '../domain/index.js';
import type { HistoryWrite, NewReview, StoredSession, SubjectChange } from './records.js';

export type SubjectWrite = NonNullable<SubjectChange['subject']>;

export interface SubjectStatements<R> {
  upsertSession(session: StoredSession, now: number): R;
  upsertSubject(subject: SubjectWrite, now: number): R;
  insertHistory(subjectRef: string, entry: HistoryWrite): R;
  enqueueReaction(reaction: PlannedReaction, now: number): R;
  openReview(review: NewReview): R;
  closeReview(close: NonNullable<SubjectChange['closeReview']>): R;
  supersedeReview(supersede: NonNullable<SubjectChange['supersedeReview']>): R;
  rewritePayloads(rewrite: NonNullable<SubjectChange['rewritePayloads']>): R;
}

/** Issues every statement of `change` in order; returns what each returned (promises on PostgreSQL). */
export function writeSubjectChange<R>(
  statements: SubjectStatements<R>,
  change: SubjectChange,
  now: number,
): R[] {
  const results: R[] = [];
  for (const session of change.sessions) results.push(statements.upsertSession(session, now));
  if (change.subject) {
    results.push(statements.upsertSubject(change.subject, now));
    for (const entry of change.history) results.push(statements.insertHistory(change.subject.ref, entry));
  }
  for (const reaction of change.reactions) results.push(statements.enqueueReaction(reaction, now));
  // Closing before opening: a decision and the next case may come in one change.
  if (change.closeReview) results.push(statements.closeReview(change.closeReview));
  if (change.supersedeReview) results.push(statements.supersedeReview(change.supersedeReview));
  if (change.openReview) results.push(statements.openReview(change.openReview));
  if (change.rewritePayloads) results.push(statements.rewritePayloads(change.rewritePayloads));
  return results;
}
