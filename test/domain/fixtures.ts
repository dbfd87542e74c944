/**
 * Test helpers for the domain: builders for Stripe Event payloads shaped like the ones the receiver
 * stores (reference Appendix A), and a tiny in-memory worker that runs a stream of payloads through the
 * domain exactly as the real worker composes it (parse → resolve subject → fold session → step subject
 * → plan session reactions). No deduplication by event id here: duplicates must be harmless to the
 * domain itself.
 */
import {
  DEFAULT_POLICY,
  EMPTY_ANNOUNCEMENTS,
  applySessionEvent,
  parseSessionEvent,
  planSessionReactions,
  resolveSubjectRef,
  stepSubject,
} from '../../src/domain/index.js';
import type {
  HistoryEntry,
  ManualDecision,
  AnnouncementLog,
  PlannedReaction,
  Policy,
  SessionRecord,
  SubjectView,
} from '../../src/domain/index.js';

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
  manual?: Record<string, ManualDecision>;
  now?: number;
}

export interface RunResult {
  sessions: Map<string, SessionRecord>;
  views: Map<string, SubjectView>;
  reactions: PlannedReaction[];
  history: HistoryEntry[];
  effects: string[];
}

/** Runs payloads through the domain in the given order, like the worker does. */
export function runStream(payloads: readonly unknown[], options: RunOptions = {}): RunResult {
  const policy = options.policy ?? DEFAULT_POLICY;
  const sessions = new Map<string, SessionRecord>();
  const views = new Map<string, SubjectView>();
  const announcements = new Map<string, AnnouncementLog>();
  const reactions: PlannedReaction[] = [];
  const history: HistoryEntry[] = [];
  const effects: string[] = [];
  for (const payload of payloads) {
    const ev = parseSessionEvent(payload);
    if (ev === null) {
      effects.push('ignored');
      continue;
    }
    const previous = sessions.get(ev.session.id) ?? null;
    const stored = previous?.subjectRef ?? options.storedRefs?.[ev.session.id] ?? null;
    const { record, effect } = applySessionEvent(previous, ev, resolveSubjectRef(stored, ev));
    sessions.set(record.id, record);
    effects.push(effect);
    const ref = record.subjectRef;
    let view: SubjectView | null = null;
    if (ref !== null) {
      const step = stepSubject({
        ref,
        before: views.get(ref) ?? null,
        announcements: announcements.get(ref) ?? EMPTY_ANNOUNCEMENTS,
        sessions: [...sessions.values()].filter((s) => s.subjectRef === ref),
        policy,
        manualDecision: options.manual?.[ref] ?? null,
        eventId: ev.eventId,
        now: options.now ?? 2_000_000_000,
      });
      view = step.view;
      views.set(ref, step.view);
      announcements.set(ref, step.announcements);
      reactions.push(...step.reactions);
      if (step.history !== null) history.push(step.history);
    }
    reactions.push(
      ...planSessionReactions(previous, record, { eventId: ev.eventId, subjectState: view?.state ?? null }),
    );
  }
  return { sessions, views, reactions, history, effects };
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
