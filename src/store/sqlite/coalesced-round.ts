/**
 * The reads and writes of one SQLite worker round (processDueEvents), with the session and subject rows of a
 * subject written once per round instead of once per event. A backlog holds a session's lifecycle side by
 * side (created, processing, verified), so a round of 500 events applies three to five changes to the same
 * two rows; each upsert rewrites the row and its index entries (the subject's stats index among them) and
 * each read parses the JSON the previous event wrote. Here the round keeps the subject's snapshot as the
 * last change left it, serves the next event from it, and writes each row's final value before the commit.
 *
 * Why the result is the same as writing every change at once: the round runs in one transaction with one
 * `now`, so the deferred upserts' times are the ones the eager ones would have written, and the upserts
 * are merges whose last value wins (subject_ref keeps the first one, an email only a given one). History,
 * failure codes and reactions are appended at once, in order, as before; no table refers to another.
 *
 * Only a plain change is coalesced: a subject, sessions with records linked to it, and none of the writes
 * that touch what a snapshot also holds (review cases, expectations) or other rows (payload rewrites,
 * erasure, audit). Any other change first writes everything deferred, forgets the cache, and is written
 * as it comes, so the next read is the database's own.
 */
import type { Database } from 'better-sqlite3';
import type { StoredSession, StoredSubject, SubjectChange, SubjectSnapshot } from '../records.js';
import { writeSync, type SubjectStatements, type SubjectWrite } from '../subject-writer.js';
import { sqliteSubjectStatements } from './subject-statements.js';
import { loadSession, loadSnapshot } from './subject-reads.js';

type PlainChange = SubjectChange & { subject: SubjectWrite };

export class CoalescedRound {
  private readonly statements: SubjectStatements<void>;
  /** Sessions as the database would answer now (read, or written by this round). */
  private readonly sessions = new Map<string, StoredSession | null>();
  /** Subjects' snapshots as the database would answer now. */
  private readonly snapshots = new Map<string, SubjectSnapshot>();
  private readonly pendingSessions = new Map<string, StoredSession>();
  private readonly pendingSubjects = new Map<string, SubjectWrite>();

  constructor(
    private readonly db: Database,
    private readonly now: number,
  ) {
    this.statements = sqliteSubjectStatements(db);
  }

  loadSession(id: string): StoredSession | null {
    if (this.sessions.has(id)) return this.sessions.get(id) ?? null;
    const session = loadSession(this.db, id);
    this.sessions.set(id, session);
    return session;
  }

  loadSnapshot(ref: string): SubjectSnapshot {
    let snapshot = this.snapshots.get(ref);
    if (!snapshot) this.snapshots.set(ref, (snapshot = loadSnapshot(this.db, ref)));
    return snapshot;
  }

  write(change: SubjectChange): void {
    if (!this.isPlain(change)) {
      this.flush();
      this.sessions.clear();
      this.snapshots.clear();
      writeSync(this.statements, change, this.now);
      return;
    }
    const { subject } = change;
    const snapshot = this.snapshots.get(subject.ref)!;
    let sessions = snapshot.sessions;
    for (const written of change.sessions) {
      const stored = this.stored(written);
      this.sessions.set(stored.id, stored);
      this.pendingSessions.set(stored.id, stored);
      sessions = withSession(sessions, stored);
    }
    const before = this.pendingSubjects.get(subject.ref);
    // An email not given keeps the stored one, which may be one given earlier in this round.
    const pending =
      subject.email === undefined && before?.email !== undefined
        ? { ...subject, email: before.email }
        : subject;
    this.pendingSubjects.set(subject.ref, pending);
    this.snapshots.set(subject.ref, {
      ...snapshot,
      sessions,
      subject: storedSubject(snapshot.subject, subject, this.now),
    });
    for (const entry of change.history) this.statements.insertHistory(subject.ref, entry);
    const codes = change.failureCodes ?? [];
    if (codes.length > 0) this.statements.upsertFailureCodes(subject.ref, codes);
    for (const reaction of change.reactions) this.statements.enqueueReaction(reaction, this.now);
  }

  /** Writes the deferred rows; the caller commits. Sessions before subjects, as writeSync orders them. */
  flush(): void {
    for (const session of this.pendingSessions.values()) this.statements.upsertSession(session, this.now);
    for (const subject of this.pendingSubjects.values()) this.statements.upsertSubject(subject, this.now);
    this.pendingSessions.clear();
    this.pendingSubjects.clear();
  }

  private isPlain(change: SubjectChange): change is PlainChange {
    const { subject } = change;
    if (subject === null || !this.snapshots.has(subject.ref)) return false;
    if (change.openReview || change.closeReview || change.supersedeReview || change.rewritePayloads)
      return false;
    if (change.erase || (change.audit?.length ?? 0) > 0 || (change.expectations?.length ?? 0) > 0)
      return false;
    // A session without a record keeps its stored one, and one linked elsewhere belongs to another snapshot.
    return change.sessions.every(
      (s) => s.record !== null && (this.loadSession(s.id)?.subjectRef ?? s.subjectRef) === subject.ref,
    );
  }

  /** The session row after the upsert: the first subject it was linked to stays, the record is replaced. */
  private stored(written: StoredSession): StoredSession {
    const before = this.loadSession(written.id);
    return { id: written.id, subjectRef: before?.subjectRef ?? written.subjectRef, record: written.record };
  }
}

/** The subject's sessions in the database's order (`ORDER BY id`), with `stored` replacing or joining them. */
function withSession(sessions: readonly StoredSession[], stored: StoredSession): StoredSession[] {
  const others = sessions.filter((s) => s.id !== stored.id);
  const at = others.findIndex((s) => s.id > stored.id);
  return at === -1 ? [...others, stored] : [...others.slice(0, at), stored, ...others.slice(at)];
}

/** The subject row after the upsert, as loadSubject would read it. */
function storedSubject(before: StoredSubject | null, write: SubjectWrite, now: number): StoredSubject {
  return {
    ref: write.ref,
    view: write.view,
    manualDecision: write.manualDecision,
    announcements: write.announcements,
    email: write.email !== undefined ? write.email : (before?.email ?? null),
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
    erasedAt: before?.erasedAt ?? null,
    facts: write.facts,
  };
}
