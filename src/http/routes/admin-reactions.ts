/**
 * Admin view of the outbox: GET /admin/api/reactions?status=&subject=&limit= lists reactions (oldest
 * first) with their attempts, last error and the last answer; POST /admin/api/reactions/:id/replay puts a
 * dead or failed reaction back to pending with fresh attempts (202). Rows hold no personal data.
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import { OUTBOX_STATUSES, type OutboxRecord, type OutboxStatus } from '../../store/records.js';
import type { AdminQueries, AuditLog } from '../../store/store.js';
import { recordAudit } from '../audit.js';
import { pageLimit, singleParam } from './paging.js';
import { choice, paging, routeSchema } from '../openapi/route-schema.js';
import { obj, oneOf, str } from '../openapi/json-schema.js';

const DOCS = {
  list: routeSchema({
    summary: 'Emails, callbacks and other reactions, newest first',
    tag: 'admin',
    query: {
      status: choice(OUTBOX_STATUSES),
      subject: str('A subject ref.'),
      ...paging(500, 50, 'The id of the last reaction of the previous page.'),
    },
    answers: { 200: 'ReactionPage' },
  }),
  replayOne: routeSchema({
    summary: 'Send a failed or dead reaction again (admin; audited)',
    tag: 'admin',
    params: { id: str('A reaction id (a whole number).') },
    answers: { 202: 'Accepted' },
    errors: [404],
  }),
  replayDead: routeSchema({
    summary: 'Send every dead reaction again (admin; audited)',
    tag: 'admin',
    body: { schema: obj({ status: oneOf(['dead']) }), required: true },
    answers: { 202: 'Replayed' },
  }),
};

export interface AdminReactionDeps {
  store: Pick<AdminQueries, 'listReactions' | 'requeueReactions'> & Pick<AuditLog, 'recordAudit'>;
  clock: () => number;
  onReactionsQueued?: (() => void) | undefined;
}

export async function adminReactionRoutes(app: FastifyInstance, deps: AdminReactionDeps) {
  app.get('/admin/api/reactions', { schema: DOCS.list }, async (request) => {
    // The route schema refused a status outside the list and any parameter given twice.
    const query = request.query as Record<string, unknown>;
    const status = singleParam(query, 'status') as OutboxStatus | undefined;
    const limit = pageLimit(query, 50, 500);
    const subject = singleParam(query, 'subject');
    const cursor = singleParam(query, 'starting_after');
    const after = cursor === undefined ? undefined : Number(cursor);
    if (after !== undefined && !Number.isInteger(after)) {
      throw new IdvError('invalid_request', 'starting_after must be a reaction id.', {
        param: 'starting_after',
      });
    }
    const rows = await deps.store.listReactions({
      status,
      limit: limit + 1,
      ...(subject === undefined ? {} : { subjectRef: subject }),
      ...(after === undefined ? {} : { startingAfter: after }),
    });
    return { data: rows.slice(0, limit).map(presentReaction), has_more: rows.length > limit };
  });

  app.post('/admin/api/reactions/:id/replay', { schema: DOCS.replayOne }, async (request, reply) => {
    const { id: raw } = request.params as { id: string };
    const id = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) {
      throw new IdvError('invalid_request', 'id must be a reaction id (a whole number).', { param: 'id' });
    }
    const now = deps.clock();
    const count = await deps.store.requeueReactions({ ids: [id] }, now);
    if (count === 0) throw new IdvError('not_found', `No dead or failed reaction ${id}.`);
    await recordAudit(deps.store, request, { action: 'reaction.replay', target: String(id) }, now);
    request.log.info({ reaction_id: id }, 'reaction replayed');
    deps.onReactionsQueued?.();
    return reply.code(202).send({ id, status: 'pending' });
  });

  app.post('/admin/api/reactions/replay', { schema: DOCS.replayDead }, async (request, reply) => {
    const body = (request.body ?? {}) as { status?: unknown };
    if (typeof body !== 'object' || Array.isArray(body) || body.status !== 'dead') {
      throw new IdvError('invalid_request', 'The body must be { "status": "dead" }.', { param: 'status' });
    }
    const now = deps.clock();
    const replayed = await deps.store.requeueReactions({ status: 'dead' }, now);
    await recordAudit(
      deps.store,
      request,
      { action: 'reactions.replay_dead', target: String(replayed) },
      now,
    );
    request.log.info({ replayed }, 'dead reactions replayed');
    if (replayed > 0) deps.onReactionsQueued?.();
    return reply.code(202).send({ replayed });
  });
}

export function presentReaction(row: OutboxRecord) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: row.id,
    kind: row.kind,
    topic: row.topic,
    status: row.status,
    attempts: row.attempts,
    subject: row.subjectRef,
    session_id: row.sessionId,
    event_id: row.reaction.eventId,
    idempotency_key: row.idempotencyKey,
    next_attempt_at: row.status === 'pending' || row.status === 'failed' ? iso(row.nextAttemptAt) : null,
    last_error: row.lastError,
    result: row.result,
    created_at: iso(row.createdAt),
    completed_at: row.completedAt === null ? null : iso(row.completedAt),
  };
}
