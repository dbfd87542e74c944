/**
 * Admin read API over the inbox: GET /admin/api/events[/:id], POST /admin/api/events/:id/replay (role
 * admin, audited). Each event names its session and that session's subject; one event also carries its
 * payload with every personal value masked (stripe/mask-payload.ts), so any operator may read it.
 */
import type { FastifyInstance } from 'fastify';
import { IdvError } from '../../errors.js';
import { isHandledType } from '../../stripe/envelope.js';
import { maskPayload } from '../../stripe/mask-payload.js';
import { EVENT_STATUSES, type EventRecord, type EventStatus } from '../../store/records.js';
import type { AdminQueries, AuditLog } from '../../store/store.js';
import { recordAudit } from '../audit.js';
import { pageLimit, singleParam } from './paging.js';
import { choice, paging, routeSchema } from '../openapi/route-schema.js';
import { str } from '../openapi/json-schema.js';

const DOCS = {
  list: routeSchema({
    summary: 'List Stripe events as received, newest first',
    tag: 'admin',
    query: {
      status: choice(EVENT_STATUSES),
      ...paging(100, 20, 'The id of the last event of the previous page.'),
    },
    answers: { 200: 'EventPage' },
  }),
  one: routeSchema({
    summary: 'One event, with its payload (personal values masked)',
    tag: 'admin',
    params: { id: str() },
    answers: { 200: 'EventDetail' },
    errors: [404],
  }),
  replay: routeSchema({
    summary: 'Process a processed, failed or dead event again (admin; audited)',
    tag: 'admin',
    params: { id: str() },
    answers: { 202: 'Accepted' },
    errors: [404, 409],
  }),
};

export async function adminEventRoutes(
  app: FastifyInstance,
  deps: {
    store: Pick<AdminQueries, 'getEvent' | 'getEventPayload' | 'listEvents' | 'requeueEvents'> &
      Pick<AuditLog, 'recordAudit'>;
    clock: () => number;
  },
) {
  app.get('/admin/api/events', { schema: DOCS.list }, async (request) => {
    // The route schema refused a status outside the list and any parameter given twice.
    const query = request.query as Record<string, unknown>;
    const page = await deps.store.listEvents({
      status: singleParam(query, 'status') as EventStatus | undefined,
      limit: pageLimit(query, 20, 100),
      startingAfter: singleParam(query, 'starting_after'),
    });
    return { data: page.data.map(presentEvent), has_more: page.hasMore };
  });

  app.get('/admin/api/events/:id', { schema: DOCS.one }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const event = await deps.store.getEvent(id);
    if (!event) throw new IdvError('not_found', `No event ${id}.`);
    const payload = await deps.store.getEventPayload(id);
    // no-store: masked, but still a record of one person's verification.
    reply.header('cache-control', 'no-store');
    return { ...presentEvent(event), payload: payload === null ? null : maskPayload(payload) };
  });

  app.post('/admin/api/events/:id/replay', { schema: DOCS.replay }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const event = await deps.store.getEvent(id);
    if (!event) throw new IdvError('not_found', `No event ${id}.`);
    if (event.status === 'ignored' || event.status === 'pending') {
      throw new IdvError(
        'conflict',
        `Event ${id} is ${event.status}; only processed, failed or dead events can be replayed.`,
      );
    }
    const now = deps.clock();
    await deps.store.requeueEvents({ ids: [id] }, now);
    await recordAudit(deps.store, request, { action: 'event.replay', target: id }, now);
    return reply.code(202).send({ id, status: 'pending' });
  });
}

export function presentEvent(event: EventRecord) {
  return {
    id: event.id,
    type: event.type,
    status: event.status,
    attempts: event.attempts,
    received_at: new Date(event.receivedAt).toISOString(),
    processed_at: event.processedAt === null ? null : new Date(event.processedAt).toISOString(),
    last_error: event.lastError,
    // The object of another type of event (cus_…, ch_…) is not a session.
    session: isHandledType(event.type) ? event.objectId : null,
    subject: event.subjectRef ?? null,
    // Why an `ignored` event was not processed (livemode_mismatch, unhandled_type, …); null otherwise.
    ignored_reason: event.ignoredReason,
  };
}
