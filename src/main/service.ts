/**
 * Composition root of `idv serve`: config in, running service out. The only module (with cli/) that wires
 * adapters together; everything it starts is stopped by `close()` in reverse order.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { buildHttpApp } from '../http/app.js';
import { Metrics } from '../http/metrics.js';
import { buildReactionRunners } from '../reactions/index.js';
import type { FetchLike } from '../reactions/callback/client.js';
import type { MailTransport } from '../reactions/email/email-reaction.js';
import { createStripeGateway, type StripeGateway } from '../stripe/gateway.js';
import type { Store } from '../store/store.js';
import { Dispatcher } from '../worker/dispatcher.js';
import { EventWorker } from '../worker/event-worker.js';
import { startRetention } from '../worker/retention.js';
import { createLogger } from './logger.js';
import { loadPolicy } from './load-policy.js';
import { openConfiguredStore } from './open-store.js';

export interface RunningService {
  app: FastifyInstance;
  worker: EventWorker | undefined;
  dispatcher: Dispatcher | undefined;
  store: Store;
  logger: Logger;
  /** Base URL the HTTP server listens on, e.g. http://127.0.0.1:4242 */
  url: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  clock?: () => number;
  store?: Store;
  /** Replaces the Stripe API gateway (tests with a fake Stripe). */
  stripe?: StripeGateway;
  /** Replaces global fetch for callbacks. */
  fetch?: FetchLike;
  /** Replaces the SMTP transport. */
  mailTransport?: MailTransport;
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? Date.now;
  const policy = loadPolicy(config.policyFile);
  const store = await openConfiguredStore(config, {
    ...(options.store ? { store: options.store } : {}),
    // A dropped database connection is not fatal (requests get 503 until it is back), but it must be seen.
    onConnectionError: (err) => logger.warn({ err: { message: err.message } }, 'database connection error'),
  });
  const metrics = new Metrics();
  const stops: (() => Promise<void>)[] = [() => store.close()];
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    if (config.acceptedModeSource === 'default') {
      logger.warn(
        'accepting both live and test events: set IDV_LIVEMODE or STRIPE_SECRET_KEY to pin the mode',
      );
    }

    const runs = (role: string) => config.role === 'all' || config.role === role;
    let dispatcher: Dispatcher | undefined;
    let worker: EventWorker | undefined;
    if (runs('worker')) {
      worker = new EventWorker({
        store,
        policy,
        logger,
        clock,
        ...config.worker,
        onProcessed: () => {
          metrics.inc('idv_events_processed_total');
          // The event's reactions were written with it: an in-process dispatcher can look at once.
          dispatcher?.wake();
        },
      });
      const started = worker;
      stops.unshift(() => started.stop());
      const retention = startRetention({
        store,
        retentionDays: config.worker.eventRetentionDays,
        logger,
        clock,
      });
      if (retention) stops.unshift(() => retention.stop());
    }

    if (runs('dispatcher')) {
      const adapters = buildReactionRunners(config, {
        store,
        clock,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.mailTransport ? { transport: options.mailTransport } : {}),
      });
      dispatcher = new Dispatcher({
        store,
        logger,
        clock,
        runners: adapters.runners,
        retryScheduleMs: config.dispatcher.retryScheduleMs,
        pollIntervalMs: config.dispatcher.pollIntervalMs,
        onFinished: (row, verdict) =>
          metrics.inc('idv_reactions_total', { kind: row.kind, outcome: verdict.outcome }),
      });
      const started = dispatcher;
      stops.unshift(async () => {
        await started.stop();
        adapters.close();
      });
    }
    const stripe =
      options.stripe ??
      (config.stripeSecretKey
        ? createStripeGateway({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase })
        : undefined);

    const app = await buildHttpApp({
      config,
      store,
      logger,
      clock,
      metrics,
      policy,
      onEventStored: worker ? () => worker.wake() : undefined,
      stripe,
      onReactionsQueued: dispatcher ? () => dispatcher.wake() : undefined,
    });
    // Stop order: HTTP first (no new events, in-flight requests finish), then the loops, then the store.
    stops.unshift(() => app.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    worker?.start();
    dispatcher?.start();
    logger.info({ url, role: config.role, store: store.kind }, 'idv serving');

    let closing: Promise<void> | undefined;
    return {
      app,
      worker,
      dispatcher,
      store,
      logger,
      url,
      close: () =>
        (closing ??= (async () => {
          for (const stop of stops) await stop();
        })()),
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw err;
  }
}
