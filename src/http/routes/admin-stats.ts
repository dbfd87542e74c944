/**
 * GET /admin/api/stats?from=&to=&interval=hour|day|week&tz= (viewer): the insights figures of the subjects
 * first recorded in the range, bucketed in the operator's time zone (README "Insights"; stats-report.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Insights } from '../../store/store.js';
import { statsAnswer } from '../stats-report.js';
import { singleParam } from './paging.js';

export async function adminStatsRoutes(app: FastifyInstance, deps: { store: Insights; clock: () => number }) {
  app.get('/admin/api/stats', async (request) => {
    const query = request.query as Record<string, unknown>;
    return statsAnswer(
      deps.store,
      {
        from: singleParam(query, 'from'),
        to: singleParam(query, 'to'),
        interval: singleParam(query, 'interval'),
        tz: singleParam(query, 'tz'),
      },
      deps.clock(),
    );
  });
}
