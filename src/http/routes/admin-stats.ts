/**
 * GET /admin/api/stats?from=&to=&interval=hour|day|week&tz= (viewer): the insights figures of the subjects
 * first recorded in the range, bucketed in the operator's time zone (README "Insights"; stats-report.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Insights } from '../../store/store.js';
import { statsAnswer } from '../stats-report.js';
import { singleParam } from './paging.js';
import { choice, routeSchema } from '../openapi/route-schema.js';
import { STATS_INTERVALS } from '../../domain/stats.js';
import { str } from '../openapi/json-schema.js';

const STATS = routeSchema({
  summary: 'The insights figures of the subjects first recorded in a range',
  tag: 'admin',
  query: {
    from: str('A date (2026-11-01) or a timestamp; 30 days before `to` when absent.'),
    to: str('A date or a timestamp; now when absent.'),
    interval: choice(STATS_INTERVALS),
    tz: str('An IANA time zone; UTC when absent.'),
  },
  answers: { 200: 'Stats' },
});

export async function adminStatsRoutes(app: FastifyInstance, deps: { store: Insights; clock: () => number }) {
  app.get('/admin/api/stats', { schema: STATS }, async (request) => {
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
