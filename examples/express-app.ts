/**
 * An application that embeds idv-outcomes in its own Express server (library mode). idv's middleware
 * reads the raw body of POST /webhook itself (the signature is over the exact bytes), so mount it BEFORE
 * `express.json()`.
 *
 * Run it (with a TypeScript runner such as tsx):
 *   STRIPE_WEBHOOK_SECRET=whsec_... npx tsx examples/express-app.ts
 * In your application, import from 'idv-outcomes' instead of '../src/index.js'.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createIdvOutcomes, type OutcomeEvent } from '../src/index.js';

export interface ExampleOptions {
  webhookSecret: string;
  database?: string;
  port?: number;
  onOutcome?: (handler: string, event: OutcomeEvent) => void;
}

export async function startExpressExample(options: ExampleOptions) {
  const users = new Map<string, string>();
  const handled = new Set<string>();
  const once = (name: string, apply: (event: OutcomeEvent) => void) => async (event: OutcomeEvent) => {
    if (handled.has(event.idempotencyKey)) return;
    apply(event);
    handled.add(event.idempotencyKey);
    options.onOutcome?.(name, event);
  };

  const idv = await createIdvOutcomes({
    webhookSecret: options.webhookSecret,
    database: options.database ?? 'sqlite:./data/example-express.db',
    handlers: {
      onVerified: once('onVerified', (e) => users.set(e.subject!.ref, 'verified')),
      onRetryRequired: once('onRetryRequired', (e) =>
        users.set(e.subject!.ref, `retry: ${e.last_error?.reason ?? ''}`),
      ),
      onNeedsReview: once('onNeedsReview', (e) => users.set(e.subject!.ref, 'in review')),
      onRejected: once('onRejected', (e) => users.set(e.subject!.ref, 'rejected')),
    },
  });

  const app = express();
  app.use(idv.expressRouter()); // POST /webhook, before any body parser
  app.use(express.json());
  app.get('/users/:ref/verification', async (req, res) => {
    const subject = await idv.store.getSubject(req.params.ref);
    res.json({
      ref: req.params.ref,
      status: users.get(req.params.ref) ?? null,
      state: subject?.subject.view.state ?? 'unverified',
    });
  });

  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(options.port ?? 3000, '127.0.0.1', () => resolve(s));
  });
  idv.start();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    /** Resolves once idv has nothing due: every handler call for what was received so far is made. */
    whenIdle: () => idv.whenIdle(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idv.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error('Set STRIPE_WEBHOOK_SECRET (whsec_…)');
  const running = await startExpressExample({
    webhookSecret: secret,
    port: Number(process.env.PORT ?? 3000),
    onOutcome: (handler, event) => console.log(handler, event.subject?.ref, event.type),
  });
  console.log(`listening on ${running.url}; point Stripe at ${running.url}/webhook`);
}
