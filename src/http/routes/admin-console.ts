/** The admin routes the operator console added: a case's reveal, a subject's timeline, the operators list. */
import type { FastifyInstance } from 'fastify';
import { adminReviewRevealRoutes, type RevealDeps } from './admin-review-reveal.js';
import { adminTimelineRoutes, type TimelineDeps } from './admin-timeline.js';

export interface AdminConsoleDeps extends RevealDeps {
  store: RevealDeps['store'] & TimelineDeps['store'];
}

export async function adminConsoleRoutes(app: FastifyInstance, deps: AdminConsoleDeps): Promise<void> {
  await app.register(adminReviewRevealRoutes, deps);
  await app.register(adminTimelineRoutes, deps);
}
