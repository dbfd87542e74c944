/** Liveness, readiness and metrics. /readyz is 503 whenever the store does not answer. */
import type { FastifyInstance } from 'fastify';
import { errorAnswer } from '../../errors.js';
import type { AdminQueries, StoreLifecycle } from '../../store/store.js';
import type { Metrics } from '../metrics.js';
import { routeSchema } from '../openapi/route-schema.js';

const DOCS = {
  live: routeSchema({ summary: 'The process answers', tag: 'service', answers: { 200: 'Ok' } }),
  ready: routeSchema({ summary: 'The store answers', tag: 'service', answers: { 200: 'Ok', 503: 'Error' } }),
  metrics: routeSchema({
    summary: 'Prometheus metrics',
    tag: 'service',
    answers: {
      200: {
        description: 'The text exposition format.',
        schema: { type: 'string' },
        contentType: 'text/plain',
      },
    },
  }),
};

export async function healthRoutes(
  app: FastifyInstance,
  deps: { store: Pick<StoreLifecycle, 'ping'> & Pick<AdminQueries, 'countBacklog'>; metrics: Metrics },
) {
  app.get('/healthz', { schema: DOCS.live }, async () => ({ ok: true }));
  app.get('/readyz', { schema: DOCS.ready }, async (request, reply) => {
    try {
      await deps.store.ping();
      return { ok: true };
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'not ready: store does not answer');
      const answer = errorAnswer('store_unavailable', 'The store does not answer.');
      return reply.code(answer.status).send(answer.body);
    }
  });
  app.get('/metrics', { schema: DOCS.metrics }, async (request, reply) => {
    // Backlog gauges are what operators alert on (dead events and reactions); counters are per process.
    let gauges = {};
    try {
      const backlog = await deps.store.countBacklog();
      const byStatus = (counts: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).map(([status, n]) => [`status="${status}"`, n]));
      gauges = {
        idv_events_backlog: byStatus(backlog.events),
        idv_reactions_backlog: byStatus(backlog.reactions),
      };
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'metrics: backlog not available');
    }
    return reply.header('content-type', 'text/plain; version=0.0.4').send(deps.metrics.render(gauges));
  });
}
