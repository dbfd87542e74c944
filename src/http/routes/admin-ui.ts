/**
 * GET /admin serves the console's shell and GET /admin/assets/:name its built script and stylesheet. They
 * hold no data (every call the console makes is authenticated), so they are served without a token, with a
 * strict Content-Security-Policy, `nosniff` and no framing.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONSOLE_CSP, CONSOLE_SHELL, loadConsoleAssets } from '../../admin-ui/page.js';
import { IdvError } from '../../errors.js';

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

export async function adminUiRoutes(app: FastifyInstance): Promise<void> {
  const assets = loadConsoleAssets();
  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => {
    if (!assets.has('console.js')) {
      throw new IdvError('not_found', 'The console is not built: run `npm run build`.');
    }
    return secured(reply)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(CONSOLE_SHELL);
  });
  app.get('/admin/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) throw new IdvError('not_found', 'No such console asset.');
    return secured(reply)
      .header('content-type', asset.type)
      .header('cache-control', 'no-cache')
      .send(asset.body);
  });
}
