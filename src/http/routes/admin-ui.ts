/**
 * GET /admin serves the admin UI page. The page itself holds no data; every request it makes carries the
 * admin token, so the page is served without one.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ADMIN_PAGE } from '../../admin-ui/page.js';

export async function adminUiRoutes(app: FastifyInstance): Promise<void> {
  const page = async (_request: unknown, reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      )
      .send(ADMIN_PAGE);
  app.get('/admin', page);
}
