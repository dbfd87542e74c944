/**
 * The demo page's own small server. It holds the app API token, as a real application's back end would,
 * and forwards the page's two calls to idv's app API; the browser never sees the token.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { DEMO_PAGE } from './page.js';

/**
 * The part of the emulator package's mail sink this page reads, declared here so the service side needs no
 * import from packages/emulator (main/demo.ts passes the real sink).
 */
export interface DemoMailbox {
  readonly messages: readonly { readonly to: readonly string[] }[];
}

export async function startDemoServer(options: {
  port: number;
  serviceUrl: string;
  apiToken: string;
  mail: DemoMailbox;
}): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  const auth = { authorization: `Bearer ${options.apiToken}` };
  const forward = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${options.serviceUrl}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers ?? {}) },
    });
    return { status: res.status, body: await res.json() };
  };

  app.get('/', async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(DEMO_PAGE),
  );
  app.get('/demo/api/subjects/:ref', async (request, reply) => {
    const { ref } = request.params as { ref: string };
    const { status, body } = await forward(`/v1/subjects/${encodeURIComponent(ref)}`);
    return reply.code(status).send(body);
  });
  app.post('/demo/api/subjects/:ref/sessions', async (request, reply) => {
    const { ref } = request.params as { ref: string };
    const { status, body } = await forward(`/v1/subjects/${encodeURIComponent(ref)}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body ?? {}),
    });
    return reply.code(status).send(body);
  });
  app.get('/demo/api/emails', async (request) => {
    const { to } = request.query as { to?: string };
    return options.mail.messages.filter((m) => !to || m.to.includes(to));
  });

  await app.listen({ port: options.port, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://127.0.0.1:${port}` };
}
