/**
 * The demo page's own small server. It holds the app API token, as a real application's back end would,
 * and forwards the page's two calls to idv's app API through the typed client (`idv-outcomes/client`);
 * the browser never sees the token. An error answer of idv is passed on as it came.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { createIdvClient, IdvApiError } from '../client/index.js';
import { errorAnswer } from '../errors.js';
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
  const idv = createIdvClient({ baseUrl: options.serviceUrl, apiToken: options.apiToken });
  const forward = async (reply: FastifyReply, call: () => Promise<unknown>) => {
    try {
      return reply.send(await call());
    } catch (err) {
      // idv's own error answer goes to the page as it came; anything else is an internal error here.
      if (err instanceof IdvApiError && err.body !== null) return reply.code(err.status).send(err.body);
      if (err instanceof IdvApiError) {
        const answer = errorAnswer('internal', 'idv did not answer with its JSON.');
        return reply.code(answer.status).send(answer.body);
      }
      throw err;
    }
  };

  app.get('/', async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(DEMO_PAGE),
  );
  app.get('/demo/api/subjects/:ref', async (request, reply) => {
    const { ref } = request.params as { ref: string };
    return forward(reply, () => idv.subjects.get(ref));
  });
  app.post('/demo/api/subjects/:ref/sessions', async (request, reply) => {
    const { ref } = request.params as { ref: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    return forward(reply.code(201), () => idv.subjects.openSession(ref, body));
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
