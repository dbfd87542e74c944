/** Liveness, readiness and metrics. /readyz is 503 whenever the store does not answer. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../metrics.js';

export async function healthRoutes(
  app: FastifyInstance,
  deps: { store: Pick<Store, 'ping'>; metrics: Metrics },
) {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (request, reply) => {
    try {
      await deps.store.ping();
      return { ok: true };
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'not ready: store does not answer');
      return reply
        .code(503)
        .send({ error: { code: 'store_unavailable', message: 'The store does not answer.' } });
    }
  });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4').send(deps.metrics.render()),
  );
}
