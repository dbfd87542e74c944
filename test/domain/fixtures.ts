/**
 * Test helpers for the domain: builders for Stripe Event payloads shaped like the ones the receiver
 * stores (reference Appendix A), and `runStream`, which runs a stream of payloads through the production
 * path on an in-memory SQLite store: the receiver's envelope parsing and classification, the inbox, and
 * the event worker, whose `eventApplication` (outcomes/apply-event.ts) the store's `applyEvents` runs in its
 * transaction. Nothing here re-implements how an event is applied, so a property proven with it holds for
 * the code that runs.
 */
import { pino } from 'pino';
import { DEFAULT_POLICY } from '../../src/domain/index.js';
import type {
  HistoryEntry,
  PlannedReaction,
  Policy,
  SessionRecord,
  SubjectView,
} from '../../src/domain/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type {
  ClaimOptions,
  EventApplication,
  EventToApply,
  PrepareEvent,
  SubjectChange,
} from '../../src/store/store.js';
import { classifyEvent, parseEnvelope } from '../../src/stripe/envelope.js';
import { EventWorker } from '../../src/worker/event-worker.js';

export type ShortType = 'created' | 'processing' | 'verified' | 'requires_input' | 'canceled' | 'redacted';

export interface EventSpec {
  id: string;
  type: ShortType;
  created: number;
  session: string;
  sessionCreated?: number;
  /** Defaults from the type; `redacted` defaults to `verified`. */
  status?: string;
  code?: string | null;
  reason?: string | null;
  report?: string | null | { id: string };
  userId?: string | null;
  clientRef?: string | null;
  redaction?: null | { status: string };
}

const STATUS_OF: Record<ShortType, string> = {
  created: 'requires_input',
  processing: 'processing',
  verified: 'verified',
  requires_input: 'requires_input',
  canceled: 'canceled',
  redacted: 'verified',
};

/** A Stripe Event JSON for an Identity session snapshot. */
export function stripeEvent(spec: EventSpec): Record<string, unknown> {
  const code = spec.code ?? null;
  const redaction =
    spec.redaction !== undefined ? spec.redaction : spec.type === 'redacted' ? { status: 'redacted' } : null;
  const redacted = redaction !== null;
  return {
    id: spec.id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: spec.created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: `identity.verification_session.${spec.type}`,
    data: {
      object: {
        id: spec.session,
        object: 'identity.verification_session',
        client_reference_id: redacted ? '[redacted]' : spec.clientRef === undefined ? null : spec.clientRef,
        client_secret: null,
        created: spec.sessionCreated ?? 1_000,
        last_error:
          code === null
            ? null
            : { code, reason: spec.reason === undefined ? `reason for ${code}` : spec.reason },
        last_verification_report: spec.report === undefined ? null : spec.report,
        livemode: false,
        // Stripe erases metadata on redaction (reference 2.2).
        metadata: redacted || spec.userId == null ? {} : { user_id: spec.userId },
        options: { document: { require_matching_selfie: true } },
        redaction,
        status: spec.status ?? STATUS_OF[spec.type],
        type: 'document',
        url: null,
      },
    },
  };
}

export interface RunOptions {
  policy?: Policy;
  /** idv's own vs_id → subject mapping, recorded when idv created the session. */
  storedRefs?: Record<string, string>;
  /** The worker's clock, Unix seconds. */
  now?: number;
}

export interface RunResult {
  /** Every session an event reached, as stored. */
  sessions: Map<string, SessionRecord>;
  /** Every subject's view, as stored. */
  views: Map<string, SubjectView>;
  /** Every reaction an application planned, in order, before the outbox drops keys it already holds. */
  reactions: PlannedReaction[];
  history: HistoryEntry[];
}

const silent = pino({ level: 'silent' });

/** A store that keeps each SubjectChange the production application returned, as it returned it. */
class RecordingStore extends SqliteStore {
  readonly changes: SubjectChange[] = [];

  override applyEvents(items: EventToApply[], now: number) {
    return super.applyEvents(
      items.map((item) => ({ ...item, application: this.recorded(item.application) })),
      now,
    );
  }

  override processDueEvents(options: ClaimOptions, prepare: PrepareEvent) {
    return super.processDueEvents(options, (event) => {
      const item = prepare(event);
      return { ...item, application: this.recorded(item.application) };
    });
  }

  private recorded(application: EventApplication): EventApplication {
    return {
      resolveSubject: (stored) => application.resolveSubject(stored),
      decide: (stored, snapshot) => {
        const change = application.decide(stored, snapshot);
        this.changes.push(change);
        return change;
      },
    };
  }
}

/** Runs payloads, in the given order, through the receiver's inbox and the real event worker. */
export async function runStream(payloads: readonly unknown[], options: RunOptions = {}): Promise<RunResult> {
  const nowMs = (options.now ?? 2_000_000_000) * 1000;
  const store = new RecordingStore({ filename: ':memory:', clock: () => nowMs });
  try {
    await store.migrate();
    for (const [id, ref] of Object.entries(options.storedRefs ?? {})) {
      // The mapping openSession records (reactions/sessions/open-session.ts): a session without a record.
      await store.updateSubject(
        ref,
        () => ({
          change: {
            sessions: [{ id, subjectRef: ref, record: null }],
            subject: null,
            history: [],
            reactions: [],
          },
          result: undefined,
        }),
        nowMs,
      );
    }
    await Promise.all(
      payloads.map((payload, i) => {
        const envelope = parseEnvelope(Buffer.from(JSON.stringify(payload)));
        return store.insertEvent({
          ...envelope,
          ...classifyEvent(envelope, 'any'),
          // A repeated Event reaches the domain again when it is replayed (`idv replay`); the inbox drops a
          // repeated id on receipt, but the domain must not depend on that. So each delivery gets its own
          // inbox row, and the payload keeps the Event's id.
          id: `${envelope.id}.${i}`,
          // Received in stream order, which is the order the worker claims them in.
          receivedAt: i,
        });
      }),
    );
    const worker = new EventWorker({
      store,
      policy: options.policy ?? DEFAULT_POLICY,
      logger: silent,
      clock: () => nowMs,
      pollIntervalMs: 60_000,
      leaseMs: 60_000,
      batchSize: Math.max(1, payloads.length),
      maxEventAttempts: 1,
    });
    await worker.runOnce();
    // An event that failed would silently drop out of the comparison: fail the run instead.
    const { pending, failed, dead } = (await store.countBacklog()).events;
    if (pending + failed + dead > 0) {
      const { data } = await store.listEvents({ status: 'dead', limit: 5 });
      throw new Error(`events not applied: ${data.map((e) => `${e.id}: ${e.lastError}`).join('; ')}`);
    }
    return await readBack(store);
  } finally {
    await store.close();
  }
}

async function readBack(store: RecordingStore): Promise<RunResult> {
  const sessions = new Map<string, SessionRecord>();
  const views = new Map<string, SubjectView>();
  const refs = new Set(store.changes.flatMap((c) => (c.subject ? [c.subject.ref] : [])));
  const stored = await store.listUnlinkedSessions(10_000);
  for (const ref of refs) {
    const detail = await store.getSubject(ref);
    if (!detail) continue;
    views.set(ref, detail.subject.view);
    stored.push(...detail.sessions);
  }
  for (const s of stored) if (s.record) sessions.set(s.id, s.record);
  return {
    sessions,
    views,
    reactions: store.changes.flatMap(plannedReactions),
    history: store.changes.flatMap((c) => c.history),
  };
}

/** `kind:topic` of each reaction, in plan order: compact for table rows. */
export function kindsAndTopics(reactions: readonly PlannedReaction[]): string[] {
  return reactions.map((r) => `${r.kind}:${r.topic}`);
}

/** A compact builder for one session's lifecycle in tests. */
export function sessionEvents(session: string, userId: string | null, sessionCreated = 1_000) {
  let n = 0;
  const make = (type: ShortType, created: number, extra: Partial<EventSpec> = {}) =>
    stripeEvent({
      id: `evt_${session}_${type}_${++n}_${created}`,
      type,
      created,
      session,
      sessionCreated,
      userId,
      ...extra,
    });
  return {
    created: (t: number, extra?: Partial<EventSpec>) => make('created', t, extra),
    processing: (t: number, extra?: Partial<EventSpec>) => make('processing', t, extra),
    verified: (t: number, extra?: Partial<EventSpec>) => make('verified', t, extra),
    failed: (t: number, code: string, report: string | null, extra?: Partial<EventSpec>) =>
      make('requires_input', t, { code, report, ...extra }),
    canceled: (t: number, extra?: Partial<EventSpec>) => make('canceled', t, extra),
    redacted: (t: number, extra?: Partial<EventSpec>) => make('redacted', t, extra),
  };
}

/**
 * What a change planned, in the domain's order: its outbox reactions, then the review case it opens, as the
 * `review_case` reaction the domain planned for it (src/outcomes/subject-change.ts).
 */
function plannedReactions(change: SubjectChange): PlannedReaction[] {
  const review = change.openReview;
  if (!review) return change.reactions;
  const opened = {
    kind: 'review_case',
    topic: review.topic,
    idempotencyKey: review.causeKey,
    subjectRef: review.subjectRef,
    sessionId: review.sessionId,
    state: change.subject?.view.state ?? null,
    lastError: change.subject?.view.cause.lastError ?? null,
    category: change.subject?.view.cause.category ?? null,
    eventId: change.history[0]?.eventId ?? null,
  } as PlannedReaction;
  return [...change.reactions, opened];
}
