/**
 * Wraps any Store so the personal data it keeps is encrypted at rest (DESIGN.md "Privacy") without either
 * adapter knowing: emails are decrypted in the snapshots the pure `decide` callbacks see and in subject
 * reads, and encrypted in the changes those callbacks return. Every other method delegates unchanged.
 * A class that implements Store, so a method added to the interface must be added here too: the compiler
 * says so, and nothing personal can slip past the wrapper by being forgotten.
 */
import type { PersonalDataCipher } from './personal-data-cipher.js';
import type {
  ApplyOutcome,
  ClaimedEvent,
  EventApplication,
  EventFailure,
  EventRecord,
  EventToApply,
  NewEvent,
  OutboxRecord,
  ReactionResult,
  ReviewRecord,
  ReviewStatus,
  StoredSession,
  SubjectChange,
  SubjectDetail,
  SubjectSnapshot,
} from './records.js';
import type {
  Backlog,
  ClaimOptions,
  ListEventsQuery,
  ListReactionsQuery,
  Page,
  Store,
  SubjectDecision,
} from './store.js';

export class EncryptingStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly cipher: PersonalDataCipher,
  ) {}

  get kind(): Store['kind'] {
    return this.inner.kind;
  }

  private openSnapshot<T extends SubjectSnapshot | null>(snapshot: T): T {
    return snapshot?.subject?.email
      ? { ...snapshot, subject: { ...snapshot.subject, email: this.cipher.decrypt(snapshot.subject.email) } }
      : snapshot;
  }

  private sealChange(change: SubjectChange): SubjectChange {
    return change.subject?.email
      ? { ...change, subject: { ...change.subject, email: this.cipher.encrypt(change.subject.email) } }
      : change;
  }

  private wrap(application: EventApplication): EventApplication {
    return {
      resolveSubject: (stored) => application.resolveSubject(stored),
      decide: (stored, snapshot) => this.sealChange(application.decide(stored, this.openSnapshot(snapshot))),
    };
  }

  // Methods that see personal data.

  applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]> {
    return this.inner.applyEvents(
      items.map((item) => ({ ...item, application: this.wrap(item.application) })),
      now,
    );
  }

  updateSubject<T>(ref: string, decide: SubjectDecision<T>, now: number): Promise<T> {
    return this.inner.updateSubject(
      ref,
      (snapshot) => {
        const { change, result } = decide(this.openSnapshot(snapshot));
        return { change: change && this.sealChange(change), result };
      },
      now,
    );
  }

  async getSubject(ref: string): Promise<SubjectDetail | null> {
    return this.openSnapshot(await this.inner.getSubject(ref));
  }

  // Methods that pass through.

  migrate(): Promise<{ applied: string[] }> {
    return this.inner.migrate();
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inner.insertEvent(event);
  }
  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return this.inner.claimEvents(options);
  }
  failEvent(failure: EventFailure): Promise<void> {
    return this.inner.failEvent(failure);
  }
  claimReactions(options: ClaimOptions): Promise<OutboxRecord[]> {
    return this.inner.claimReactions(options);
  }
  extendReactionLeases(lease: {
    owner: string;
    ids: number[];
    leaseMs: number;
    now: number;
  }): Promise<number> {
    return this.inner.extendReactionLeases(lease);
  }
  finishReaction(result: ReactionResult): Promise<void> {
    return this.inner.finishReaction(result);
  }
  getReview(id: string): Promise<ReviewRecord | null> {
    return this.inner.getReview(id);
  }
  getEvent(id: string): Promise<EventRecord | null> {
    return this.inner.getEvent(id);
  }
  listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    return this.inner.listEvents(query);
  }
  requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    return this.inner.requeueEvents(selector, now);
  }
  listReactions(query: ListReactionsQuery): Promise<OutboxRecord[]> {
    return this.inner.listReactions(query);
  }
  requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    return this.inner.requeueReactions(selector, now);
  }
  listReviews(query: { status?: ReviewStatus; limit: number }): Promise<ReviewRecord[]> {
    return this.inner.listReviews(query);
  }
  listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    return this.inner.listUnlinkedSessions(limit);
  }
  countBacklog(): Promise<Backlog> {
    return this.inner.countBacklog();
  }
  purgeEvents(before: number, limit: number): Promise<number> {
    return this.inner.purgeEvents(before, limit);
  }
}

export function withEncryptedPersonalData(store: Store, cipher: PersonalDataCipher): Store {
  return new EncryptingStore(store, cipher);
}
