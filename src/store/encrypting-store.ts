/**
 * Wraps any Store so the personal data it keeps is encrypted at rest (DESIGN.md "Privacy") without either
 * adapter knowing: personal fields (personal-fields.ts) are decrypted in the snapshots the pure `decide`
 * callbacks see and in every read, and encrypted in what is written — event payloads at the inbox, the
 * changes decisions return. Every other method delegates unchanged.
 * A class that implements Store, so a method added to the interface must be added here too: the compiler
 * says so, and nothing personal can slip past the wrapper by being forgotten.
 */
import type { PersonalDataCipher } from './personal-data-cipher.js';
import { expectationWith, historyWith, openSnapshot, reviewWith, sealChange } from './personal-fields.js';
import type { ExpectationValues } from './expectation-records.js';
import type {
  AuditEntry,
  AuditRecord,
  CachedReport,
  ConsoleSession,
  ApplyOutcome,
  ClaimedEvent,
  DueEventResult,
  PrepareEvent,
  EventApplication,
  EventFailure,
  EventRecord,
  EventToApply,
  NewEvent,
  OutboxRecord,
  ReactionResult,
  ReviewRecord,
  StoredSession,
  SubjectChange,
  SubjectDetail,
  SubjectSnapshot,
} from './records.js';
import type {
  ClaimResult,
  ListSubjectsQuery,
  SubjectSummary,
  ReviewQueueQuery,
  NewOperator,
  OperatorRecord,
} from './operator-records.js';
import type {
  AuditQuery,
  ClaimedEventPayload,
  ReviewQuery,
  Backlog,
  PersonalColumn,
  RewritePage,
  ClaimOptions,
  ListEventsQuery,
  ListReactionsQuery,
  Page,
  Store,
  SubjectDecision,
} from './store.js';
import type { StatsFigures, StatsQuery } from './stats-records.js';

export class EncryptingStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly cipher: PersonalDataCipher,
  ) {}

  get kind(): Store['kind'] {
    return this.inner.kind;
  }

  private openSnapshot<T extends SubjectSnapshot | null>(snapshot: T): T {
    return openSnapshot(snapshot, this.cipher);
  }

  private sealChange(change: SubjectChange): SubjectChange {
    return sealChange(change, this.cipher);
  }

  private readonly decrypt = (value: string): string => this.cipher.decrypt(value);

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
    const detail = this.openSnapshot(await this.inner.getSubject(ref));
    return detail && { ...detail, history: historyWith(detail.history, this.decrypt) };
  }

  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inner.insertEvent({ ...event, payload: this.cipher.encrypt(event.payload) });
  }

  /** `prepare` sees the payload in the clear; the results carry the events as it saw them. */
  async processDueEvents(options: ClaimOptions, prepare: PrepareEvent): Promise<DueEventResult[]> {
    const opened = new Map<string, ClaimedEvent>();
    const results = await this.inner.processDueEvents(options, (event) => {
      const clear = { ...event, payload: this.decrypt(event.payload) };
      opened.set(event.id, clear);
      const item = prepare(clear);
      return { ...item, application: this.wrap(item.application) };
    });
    return results.map((r) => ({ ...r, event: opened.get(r.event.id) ?? r.event }));
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return (await this.inner.claimEvents(options)).map((e) => ({ ...e, payload: this.decrypt(e.payload) }));
  }

  async getExpectation(sessionId: string): Promise<ExpectationValues | null> {
    const found = await this.inner.getExpectation(sessionId);
    return found && expectationWith(found, this.decrypt);
  }

  async getReview(id: string): Promise<ReviewRecord | null> {
    const review = await this.inner.getReview(id);
    return review && reviewWith(review, this.decrypt);
  }

  async listSessionEvents(sessionIds: string[]): Promise<ClaimedEventPayload[]> {
    return (await this.inner.listSessionEvents(sessionIds)).map((e) => ({
      ...e,
      payload: this.decrypt(e.payload),
    }));
  }

  recordAudit(entry: AuditEntry): Promise<void> {
    return this.inner.recordAudit({ ...entry, actor: this.cipher.encrypt(entry.actor) });
  }

  async listAudit(query: AuditQuery): Promise<Page<AuditRecord>> {
    const page = await this.inner.listAudit(query);
    return { ...page, data: page.data.map((a) => ({ ...a, actor: this.decrypt(a.actor) })) };
  }

  async listReviews(query: ReviewQuery): Promise<ReviewRecord[]> {
    return (await this.inner.listReviews(query)).map((r) => reviewWith(r, this.decrypt));
  }

  // Operator names are personal.

  addOperator(operator: NewOperator): Promise<void> {
    return this.inner.addOperator({ ...operator, name: this.cipher.encrypt(operator.name) });
  }

  async listOperators(): Promise<OperatorRecord[]> {
    return (await this.inner.listOperators()).map((o) => ({ ...o, name: this.decrypt(o.name) }));
  }

  async findOperatorByTokenHash(tokenHash: string): Promise<OperatorRecord | null> {
    const found = await this.inner.findOperatorByTokenHash(tokenHash);
    return found && { ...found, name: this.decrypt(found.name) };
  }

  async listReviewQueue(query: ReviewQueueQuery): Promise<Page<ReviewRecord>> {
    const page = await this.inner.listReviewQueue(query);
    return { ...page, data: page.data.map((r) => reviewWith(r, this.decrypt)) };
  }

  claimReview(id: string, owner: { id: string; name: string }, now: number): Promise<ClaimResult> {
    return this.inner.claimReview(id, { ...owner, name: this.cipher.encrypt(owner.name) }, now);
  }

  // Methods that pass through.

  listSubjects(query: ListSubjectsQuery): Promise<Page<SubjectSummary>> {
    return this.inner.listSubjects(query);
  }

  // Figures group by operator id, never by the encrypted name.
  stats(query: StatsQuery): Promise<StatsFigures> {
    return this.inner.stats(query);
  }

  releaseReview(id: string, ownerId: string | null): Promise<boolean> {
    return this.inner.releaseReview(id, ownerId);
  }

  removeOperator(id: string): Promise<boolean> {
    return this.inner.removeOperator(id);
  }

  migrate(): Promise<{ applied: string[] }> {
    return this.inner.migrate();
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
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
  getEvent(id: string): Promise<EventRecord | null> {
    return this.inner.getEvent(id);
  }
  async getEventPayload(id: string): Promise<string | null> {
    const payload = await this.inner.getEventPayload(id);
    return payload === null ? null : this.decrypt(payload);
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
  /** Nothing personal is in a cached report (it is stripped before caching), so it passes through. */
  getCachedReport(id: string): Promise<CachedReport | null> {
    return this.inner.getCachedReport(id);
  }
  cacheReport(entry: CachedReport): Promise<void> {
    return this.inner.cacheReport(entry);
  }
  /** A session holds ids and times only. */
  createConsoleSession(session: ConsoleSession): Promise<void> {
    return this.inner.createConsoleSession(session);
  }
  findConsoleSession(id: string, now: number): Promise<ConsoleSession | null> {
    return this.inner.findConsoleSession(id, now);
  }
  deleteConsoleSession(id: string, now: number): Promise<void> {
    return this.inner.deleteConsoleSession(id, now);
  }
  requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    return this.inner.requeueReactions(selector, now);
  }
  listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    return this.inner.listUnlinkedSessions(limit);
  }
  rewriteColumn(
    column: PersonalColumn,
    after: string | number | null,
    limit: number,
    rewrite: (value: string) => string,
  ): Promise<RewritePage> {
    // Maintenance sees stored values as they are (ciphertexts): it is what re-encrypts them.
    return this.inner.rewriteColumn(column, after, limit, rewrite);
  }
  countBacklog(): Promise<Backlog> {
    return this.inner.countBacklog();
  }
  purgeReactions(before: number, limit: number): Promise<number> {
    return this.inner.purgeReactions(before, limit);
  }
  purgeSubjects(before: number, limit: number): Promise<number> {
    return this.inner.purgeSubjects(before, limit);
  }
  purgeAudit(before: number, limit: number): Promise<number> {
    return this.inner.purgeAudit(before, limit);
  }
  purgeEvents(before: number, limit: number): Promise<number> {
    return this.inner.purgeEvents(before, limit);
  }
}

export function withEncryptedPersonalData(store: Store, cipher: PersonalDataCipher): Store {
  return new EncryptingStore(store, cipher);
}
