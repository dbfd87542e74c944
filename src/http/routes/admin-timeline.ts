/**
 * GET /admin/api/subjects/:ref/timeline: one list, oldest first, of everything that happened to a subject —
 * its sessions, the Stripe events of those sessions, its state changes with their cause, review cases
 * opened and decided, emails and callbacks with their delivery status, and the audit lines naming it.
 * Nothing personal: event payloads and notes stay out (a case's note is on the case page).
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import type { AdminQueries, AuditLog, SubjectsAndReviews } from '../../store/store.js';
import { routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const TIMELINE = routeSchema({
  summary: "One subject's sessions, events, state changes, cases, reactions and audit lines, oldest first",
  tag: 'admin',
  params: { ref: str() },
  answers: { 200: 'Timeline' },
  errors: [404],
});

export interface TimelineDeps {
  store: Pick<SubjectsAndReviews, 'getSubject'> &
    Pick<AdminQueries, 'listSessionEvents' | 'listReviews' | 'listReactions'> &
    Pick<AuditLog, 'listAudit'>;
}

interface Entry {
  at: number;
  kind: 'session' | 'event' | 'state' | 'review' | 'reaction' | 'audit';
  [field: string]: unknown;
}

const LIMIT = 500;

async function timelineOf(deps: TimelineDeps, ref: string): Promise<Entry[] | null> {
  const detail = await deps.store.getSubject(ref);
  if (!detail) return null;
  const sessionIds = detail.sessions.map((s) => s.id);
  const [events, reviews, reactions, audit] = await Promise.all([
    sessionIds.length ? deps.store.listSessionEvents(sessionIds) : Promise.resolve([]),
    deps.store.listReviews({ subjectRef: ref, limit: LIMIT }),
    deps.store.listReactions({ subjectRef: ref, limit: LIMIT }),
    deps.store.listAudit({ subjectRef: ref, limit: LIMIT }),
  ]);
  const entries: Entry[] = [
    ...detail.sessions.flatMap((s) =>
      s.record
        ? [
            {
              at: s.record.created * 1000,
              kind: 'session' as const,
              session_id: s.id,
              status: s.record.status,
            },
          ]
        : [],
    ),
    ...events.map((e) => ({
      at: e.receivedAt,
      kind: 'event' as const,
      id: e.id,
      type: e.type,
      session_id: e.objectId,
      status: e.status,
      ignored_reason: e.ignoredReason,
    })),
    ...detail.history.map((h) => ({
      at: h.at,
      kind: 'state' as const,
      from: h.from,
      to: h.to,
      reason: h.reason,
      decision: h.decision,
      event_id: h.eventId,
      actor: h.actor,
    })),
    ...reviews.flatMap((r) => [
      { at: r.openedAt, kind: 'review' as const, id: r.id, status: 'open', reason: r.reason },
      ...(r.decidedAt === null
        ? []
        : [{ at: r.decidedAt, kind: 'review' as const, id: r.id, status: r.status, actor: r.actor }]),
    ]),
    ...reactions.map((r) => ({
      at: r.createdAt,
      kind: 'reaction' as const,
      id: r.id,
      reaction: r.kind,
      topic: r.topic,
      status: r.status,
      attempts: r.attempts,
      last_error: r.lastError,
      completed_at: r.completedAt === null ? null : new Date(r.completedAt).toISOString(),
    })),
    ...audit.data.map((a) => ({
      at: a.at,
      kind: 'audit' as const,
      action: a.action,
      actor: a.actor,
      target: a.target,
    })),
  ];
  // Stable: entries of one instant keep the order above (session, event, state, review, reaction, audit).
  return entries.sort((a, b) => a.at - b.at);
}

export async function adminTimelineRoutes(app: FastifyInstance, deps: TimelineDeps): Promise<void> {
  app.get('/admin/api/subjects/:ref/timeline', { schema: TIMELINE }, async (request) => {
    const { ref } = request.params as { ref: string };
    const entries = await timelineOf(deps, ref);
    if (entries === null) throw new IdvError('not_found', `No subject ${ref}.`);
    return { ref, data: entries.map(({ at, ...rest }) => ({ at: new Date(at).toISOString(), ...rest })) };
  });
}
