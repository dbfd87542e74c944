/**
 * GET /admin/api/sessions/unlinked?limit= → `{ data: [{ id, status, last_error, created, livemode }],
 * has_more }`: sessions no subject could be found for (no `client_reference_id` or `metadata.user_id`
 * idv knows), newest first. They are kept, never dropped, so an operator can see what Stripe reported.
 */
import type { FastifyInstance } from 'fastify';
import type { AdminQueries } from '../../store/store.js';
import { pageLimit } from './paging.js';
import { routeSchema } from '../openapi/route-schema.js';

const UNLINKED = routeSchema({
  summary: 'Sessions no subject could be found for, newest first',
  tag: 'admin',
  query: { limit: { type: 'string', description: 'A whole number from 1 to 100; 50 when absent.' } },
  answers: { 200: 'UnlinkedSessionPage' },
});

export async function adminSessionRoutes(
  app: FastifyInstance,
  deps: { store: Pick<AdminQueries, 'listUnlinkedSessions'> },
) {
  app.get('/admin/api/sessions/unlinked', { schema: UNLINKED }, async (request) => {
    const limit = pageLimit(request.query as Record<string, unknown>, 50, 100);
    const rows = await deps.store.listUnlinkedSessions(limit + 1);
    const data = rows.slice(0, limit).map((s) => ({
      id: s.id,
      status: s.record?.status ?? null,
      last_error: s.record?.lastError ?? null,
      created: s.record ? new Date(s.record.created * 1000).toISOString() : null,
      livemode: s.record?.livemode ?? null,
    }));
    return { data, has_more: rows.length > limit };
  });
}
