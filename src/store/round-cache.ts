/**
 * What a worker round has read and not yet written, for either store: the sessions and subject snapshots
 * as the database would answer now, and the session and subject rows whose final value is written once,
 * just before the commit. A backlog holds a session's lifecycle side by side (created, processing,
 * verified), so a round applies three to five changes to the same two rows; each upsert rewrites the row
 * and its index entries (the subject's stats index among them) and each read parses the JSON the previous
 * event wrote. SQLite's round (sqlite/coalesced-round.ts) and PostgreSQL's per-session transaction
 * (postgres/apply-events.ts) keep one of these and serve the next event from it. Nothing here does I/O:
 * writes come back as statements to run, in order, as subject-writer.ts lists them.
 *
 * Why the result is the same as writing every change at once: a round runs in one transaction with one
 * `now`, so the deferred upserts' times are the ones the eager ones would have written, and the upserts
 * are merges whose last value wins (subject_ref keeps the first one, an email only a given one). History,
 * failure codes and reactions are appended at once, in order; they now land before the session and subject
 * upserts instead of after, which changes nothing because neither schema has a foreign key or trigger
 * between these tables.
 *
 * Only a plain change is deferred: a subject whose snapshot is cached, sessions with records linked to it,
 * and none of the writes that touch what a snapshot also holds (review cases, expectations) or other rows
 * (payload rewrites, erasure, audit). Any other change is written as it comes, after what is deferred, and
 * the cache forgets its reads, so the next read is the database's own (writesFor).
 */
import type { StoredSession, StoredSubject, SubjectChange, SubjectSnapshot } from './records.js';
import { subjectWrites, type SubjectStatements, type SubjectWrite } from './subject-writer.js';

type PlainChange = SubjectChange & { subject: SubjectWrite };

export class RoundCache {
  /** Sessions as the database would answer now (read, or written by this round). */
  private readonly sessions = new Map<string, StoredSession | null>();
  /** Subjects' snapshots as the database would answer now. */
  private readonly snapshots = new Map<string, SubjectSnapshot>();
  private readonly pendingSessions = new Map<string, StoredSession>();
  private readonly pendingSubjects = new Map<string, SubjectWrite>();

  constructor(private readonly now: number) {}

  /** undefined: not read by this round. */
  session(id: string): StoredSession | null | undefined {
    return this.sessions.get(id);
  }

  rememberSession(id: string, session: StoredSession | null): void {
    this.sessions.set(id, session);
  }

  snapshot(ref: string): SubjectSnapshot | undefined {
    return this.snapshots.get(ref);
  }

  rememberSnapshot(ref: string, snapshot: SubjectSnapshot): void {
    this.snapshots.set(ref, snapshot);
  }

  /**
   * The statements to run now for `change`, in order: for a plain change what it appends (history, failure
   * codes, reactions), its rows deferred; for any other, everything deferred so far and then the whole
   * change, with every read forgotten so the next one is the database's own.
   */
  writesFor<R>(statements: SubjectStatements<R>, change: SubjectChange): (() => R)[] {
    const appended = this.absorb(statements, change);
    if (appended) return appended;
    const deferred = this.drain(statements);
    this.sessions.clear();
    this.snapshots.clear();
    return [...deferred, ...subjectWrites(statements, change, this.now)];
  }

  /** Takes a plain change in (its rows deferred) and returns what it appends; null when not plain. */
  private absorb<R>(statements: SubjectStatements<R>, change: SubjectChange): (() => R)[] | null {
    if (!this.isPlain(change)) return null;
    const { subject } = change;
    const snapshot = this.snapshots.get(subject.ref)!;
    let sessions = snapshot.sessions;
    for (const written of change.sessions) {
      const stored = this.stored(written, snapshot);
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
    const writes: (() => R)[] = [];
    for (const entry of change.history) writes.push(() => statements.insertHistory(subject.ref, entry));
    const codes = change.failureCodes ?? [];
    if (codes.length > 0) writes.push(() => statements.upsertFailureCodes(subject.ref, codes));
    for (const reaction of change.reactions)
      writes.push(() => statements.enqueueReaction(reaction, this.now));
    return writes;
  }

  /** The deferred rows' upserts, sessions before subjects as subject-writer orders them; nothing stays deferred. */
  drain<R>(statements: SubjectStatements<R>): (() => R)[] {
    const writes: (() => R)[] = [];
    for (const session of this.pendingSessions.values())
      writes.push(() => statements.upsertSession(session, this.now));
    for (const subject of this.pendingSubjects.values())
      writes.push(() => statements.upsertSubject(subject, this.now));
    this.pendingSessions.clear();
    this.pendingSubjects.clear();
    return writes;
  }

  private isPlain(change: SubjectChange): change is PlainChange {
    const { subject } = change;
    const snapshot = subject === null ? undefined : this.snapshots.get(subject.ref);
    if (subject === null || snapshot === undefined) return false;
    if (change.openReview || change.closeReview || change.supersedeReview || change.rewritePayloads)
      return false;
    if (change.erase || (change.audit?.length ?? 0) > 0 || (change.expectations?.length ?? 0) > 0)
      return false;
    // A session without a record keeps its stored one, one linked elsewhere belongs to another snapshot,
    // and one this round never read is not known to be either.
    return change.sessions.every((s) => {
      const before = this.known(s.id, snapshot);
      return (
        s.record !== null && before !== undefined && (before?.subjectRef ?? s.subjectRef) === subject.ref
      );
    });
  }

  /** A session as stored now: read by the round, or one of the snapshot's; undefined when neither. */
  private known(id: string, snapshot: SubjectSnapshot): StoredSession | null | undefined {
    return this.sessions.has(id) ? this.sessions.get(id) : snapshot.sessions.find((s) => s.id === id);
  }

  /** The session row after the upsert: the first subject it was linked to stays, the record is replaced. */
  private stored(written: StoredSession, snapshot: SubjectSnapshot): StoredSession {
    const before = this.known(written.id, snapshot);
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
