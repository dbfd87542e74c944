/**
 * An application that embeds idv-outcomes in its own Fastify server (library mode): Stripe posts to
 * this app's /webhook, and idv calls the handlers below — at least once each, retried while they throw.
 *
 * Run it (with a TypeScript runner such as tsx):
 *   STRIPE_WEBHOOK_SECRET=whsec_... npx tsx examples/fastify-app.ts
 * In your application, import from 'idv-outcomes' instead of '../src/index.js'.
 */
import Fastify from 'fastify';
import { pathToFileURL } from 'node:url';
import { createIdvOutcomes, type OutcomeEvent } from '../src/index.js';

export interface ExampleOptions {
  webhookSecret: string;
  database?: string;
  port?: number;
  /** Called after a handler did its work (the tests listen here). */
  onOutcome?: (handler: string, event: OutcomeEvent) => void;
}

export async function startFastifyExample(options: ExampleOptions) {
  // Stand-ins for your database: the users' verification state and the outcomes already handled.
  const users = new Map<string, string>();
  const handled = new Set<string>();

  // Handlers may run more than once for one outcome: skip an idempotency key you have already seen
  // (in a real app, a unique column written in the same transaction as the change).
  const once = (name: string, apply: (event: OutcomeEvent) => void) => async (event: OutcomeEvent) => {
    if (handled.has(event.idempotencyKey)) return;
    apply(event);
    handled.add(event.idempotencyKey);
    options.onOutcome?.(name, event);
  };

  const idv = await createIdvOutcomes({
    webhookSecret: options.webhookSecret,
    database: options.database ?? 'sqlite:./data/example-fastify.db',
    handlers: {
      onVerified: once('onVerified', (e) => users.set(e.subject!.ref, 'verified')),
      onRetryRequired: once('onRetryRequired', (e) =>
        users.set(e.subject!.ref, `retry: ${e.last_error?.reason ?? ''}`),
      ),
      onNeedsReview: once('onNeedsReview', (e) => users.set(e.subject!.ref, 'in review')),
      onRejected: once('onRejected', (e) => users.set(e.subject!.ref, 'rejected')),
      onCanceled: once('onCanceled', (e) => users.set(e.subject!.ref, 'canceled')),
      onRedacted: once('onRedacted', (e) => users.delete(e.subject!.ref)),
    },
  });

  const app = Fastify();
  await app.register(idv.fastifyPlugin); // POST /webhook; the app's other routes keep their JSON parser
  app.get('/users/:ref/verification', async (request) => {
    const { ref } = request.params as { ref: string };
    const subject = await idv.store.getSubject(ref);
    return { ref, status: users.get(ref) ?? null, state: subject?.subject.view.state ?? 'unverified' };
  });

  await app.listen({ port: options.port ?? 3000, host: '127.0.0.1' });
  idv.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    users,
    /** Resolves once idv has nothing due: every handler call for what was received so far is made. */
    whenIdle: () => idv.whenIdle(),
    async close() {
      await app.close();
      await idv.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error('Set STRIPE_WEBHOOK_SECRET (whsec_…)');
  const running = await startFastifyExample({
    webhookSecret: secret,
    port: Number(process.env.PORT ?? 3000),
    onOutcome: (handler, event) => console.log(handler, event.subject?.ref, event.type),
  });
  console.log(`listening on ${running.url}; point Stripe at ${running.url}/webhook`);
}
