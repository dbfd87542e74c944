/**
 * The one composition root: a Config (and, for tests and library mode, a few replaced adapters) in, the
 * system's parts out. `idv serve` (service.ts), the demo (through service.ts) and library mode
 * (library/index.ts) all build here, so leases, batch sizes, attempts, timeouts, the body limit and
 * retention follow the same config everywhere. What runs follows the role: a `receiver` has no loops.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Policy } from '../domain/index.js';
import { buildHttpApp } from '../http/app.js';
import { Metrics } from '../http/metrics.js';
import type { ReceiveDeps } from '../http/receive-webhook.js';
import { buildReactionRunners, type ReactionRunner } from '../reactions/index.js';
import type { FetchLike } from '../reactions/callback/client.js';
import type { MailTransport } from '../reactions/email/email-reaction.js';
import type { Store } from '../store/store.js';
import { createStripeGateway, type StripeGateway } from '../stripe/gateway.js';
import { Dispatcher } from '../worker/dispatcher.js';
import { createCompareRunner } from '../outcomes/compare-outputs.js';
import { skipAll } from '../reactions/verdict.js';
import { EventWorker } from '../worker/event-worker.js';
import { startRetention } from '../worker/retention.js';
import { startReconcileSchedule } from '../worker/reconcile-schedule.js';
import { loadPolicy } from './load-policy.js';
import { createLogger } from './logger.js';
import { openConfiguredStore } from './open-store.js';
import { startTracing, type Tracing } from './tracing.js';

export interface ComposeOverrides {
  logger?: Logger;
  clock?: () => number;
  /** An open store to use instead of opening `config.databaseUrl` (still encrypted with the config's key). */
  store?: Store;
  /** `close()` leaves the store open: the caller gave it and owns it (library mode). */
  keepStoreOpen?: boolean;
  /** A policy already parsed (library mode's `policy` option) instead of `config.policyFile`. */
  policy?: Policy;
  /** Replaces the Stripe API gateway (tests with a fake Stripe). */
  stripe?: StripeGateway;
  /** Replaces global fetch for callbacks. */
  fetch?: FetchLike;
  /** Replaces the SMTP transport. */
  mailTransport?: MailTransport;
  /** Replaces the HTTP callback (library mode: the application's in-process handlers). */
  callbackRunner?: ReactionRunner;
  /** The registry to count into (a loop thread's forwards its counts to the main thread's). */
  metrics?: Metrics;
  /**
   * The worker and dispatcher run elsewhere (loop threads, loop-threads.ts): this process builds neither
   * and sends them its wake-ups instead.
   */
  remoteLoops?: RemoteLoops;
  /** Called after the worker applied an event (a loop thread tells the dispatcher's thread). */
  onProcessed?: () => void;
}

/** The wake-ups a receiver sends to loops that run in another thread. */
export interface RemoteLoops {
  /** New pending events are durable. */
  nudgeWorker(): void;
  /** New reactions were written outside the worker (a decision, a replay, a session). */
  wakeDispatcher(): void;
}

export interface System {
  readonly config: Config;
  readonly store: Store;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly worker: EventWorker | undefined;
  readonly dispatcher: Dispatcher | undefined;
  /** The Stripe API gateway; undefined without STRIPE_SECRET_KEY. */
  readonly stripe: StripeGateway | undefined;
  /** New reactions were planned outside the worker (wakes an in-process dispatcher). */
  readonly onReactionsQueued: (() => void) | undefined;
  /** What the webhook receiver needs, however it is mounted: raw node:http, Fastify plugin or Express. */
  readonly receiveDeps: ReceiveDeps;
  /** The service's Fastify app for this role (library mode mounts only the receiver and never builds it). */
  buildHttpApp(): Promise<FastifyInstance>;
  /** Starts the loops this role runs: worker (with retention), dispatcher. */
  start(): void;
  /** Stops them, waiting for the batches in hand. */
  stop(): Promise<void>;
  /** stop(), then closes the reaction adapters and the store (unless the caller owns it). */
  close(): Promise<void>;
}

export async function composeSystem(config: Config, overrides: ComposeOverrides = {}): Promise<System> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? Date.now;
  const policy = overrides.policy ?? loadPolicy(config.policyFile);
  const store = await openConfiguredStore(config, {
    ...(overrides.store ? { store: overrides.store } : {}),
    // A dropped database connection is not fatal (requests get 503 until it is back), but it must be seen.
    onConnectionError: (err) => logger.warn({ err: { message: err.message } }, 'database connection error'),
  });
  const closeStore = () => (overrides.keepStoreOpen ? Promise.resolve() : store.close());
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    return assemble({ config, store, policy, logger, clock, closeStore }, overrides);
  } catch (err) {
    await closeStore().catch(() => undefined);
    throw err;
  }
}

interface Base {
  config: Config;
  store: Store;
  policy: Policy;
  logger: Logger;
  clock: () => number;
  closeStore(): Promise<void>;
}

function assemble(base: Base, overrides: ComposeOverrides): System {
  const { config, store, policy, logger, clock } = base;
  const metrics = overrides.metrics ?? new Metrics();
  const tracing = startTracing(config, logger);
  const tracer = tracing.tracer;
  const remote = overrides.remoteLoops;
  const runs = (role: string) => !remote && (config.role === 'all' || config.role === role);
  const stripe =
    overrides.stripe ??
    (config.stripeSecretKey
      ? createStripeGateway({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase })
      : undefined);
  const dispatching = runs('dispatcher')
    ? buildDispatcher(base, metrics, tracing, overrides, stripe)
    : undefined;
  const dispatcher = dispatching?.dispatcher;
  const worker = runs('worker')
    ? buildWorker(base, metrics, tracing, stripe !== undefined, () => {
        // The event's reactions were written with it: an in-process dispatcher can look at once.
        dispatcher?.nudge();
        overrides.onProcessed?.();
      })
    : undefined;
  const receiveDeps = {
    ...receiverDeps(base, metrics, worker ? () => worker.nudge() : remote?.nudgeWorker),
    tracer,
  };
  const onReactionsQueued = dispatcher ? () => dispatcher.wake() : remote?.wakeDispatcher;

  let retention: { stop(): Promise<void> } | undefined;
  let reconcile: { stop(): Promise<void> } | undefined;
  const stop = async () => {
    await Promise.all([worker?.stop(), dispatcher?.stop(), retention?.stop(), reconcile?.stop()]);
    retention = reconcile = undefined;
  };
  let closing: Promise<void> | undefined;
  return {
    config,
    store,
    policy,
    logger,
    metrics,
    worker,
    dispatcher,
    receiveDeps,
    stripe,
    onReactionsQueued,
    buildHttpApp: () =>
      buildHttpApp({
        config,
        store,
        logger,
        clock,
        metrics,
        policy,
        receive: receiveDeps,
        stripe,
        onReactionsQueued,
      }),
    start() {
      worker?.start();
      dispatcher?.start();
      if (worker && !retention) {
        retention = startRetention({ store, retention: config.retention, logger, clock });
        reconcile ??= startReconcileSchedule({ config, store, logger, clock, worker });
      }
    },
    stop,
    close: () =>
      (closing ??= (async () => {
        await stop();
        dispatching?.closeAdapters();
        await tracing.close();
        await base.closeStore();
      })()),
  };
}

function receiverDeps(
  { config, store, logger, clock }: Base,
  metrics: Metrics,
  onEventStored: (() => void) | undefined,
): ReceiveDeps {
  return {
    store,
    secrets: config.webhookSecrets,
    toleranceSec: config.webhookToleranceSec,
    acceptedMode: config.acceptedMode,
    clock,
    logger,
    // A new pending event is durable: an in-process worker can start on it at once.
    onEventStored,
    onOutcome: (outcome, reason, seconds) => {
      metrics.inc('idv_webhook_answers_total', { outcome, reason: reason ?? '' });
      metrics.observe('idv_webhook_answer_seconds', { outcome }, seconds);
    },
  };
}

function buildWorker(
  { config, store, policy, logger, clock }: Base,
  metrics: Metrics,
  { tracer }: Tracing,
  compareOutputs: boolean,
  onProcessed: () => void,
): EventWorker {
  return new EventWorker({
    store,
    policy,
    logger,
    clock,
    ...config.worker,
    compareOutputs,
    onProcessed: (event, startedAt) => {
      metrics.inc('idv_events_processed_total');
      // Received → processed: what a user waits for beyond Stripe, across retries and backlogs.
      metrics.observe('idv_event_lag_seconds', {}, (clock() - event.receivedAt) / 1000);
      tracer?.applied({
        eventId: event.id,
        type: event.type,
        startMs: startedAt,
        endMs: clock(),
        outcome: 'applied',
      });
      onProcessed();
    },
  });
}

function buildDispatcher(
  { config, store, logger, clock, policy }: Base,
  metrics: Metrics,
  { tracer }: Tracing,
  overrides: ComposeOverrides,
  stripe: StripeGateway | undefined,
): { dispatcher: Dispatcher; closeAdapters(): void } {
  const adapters = buildReactionRunners(config, {
    store,
    clock,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    ...(overrides.mailTransport ? { transport: overrides.mailTransport } : {}),
    ...(overrides.callbackRunner ? { callback: overrides.callbackRunner } : {}),
  });
  const dispatcher = new Dispatcher({
    store,
    logger,
    clock,
    runners: {
      ...adapters.runners,
      // Without a key no comparison is planned (the worker verifies as before); a row replayed after the
      // key was removed is skipped with the reason.
      compare_outputs: stripe
        ? createCompareRunner({
            store,
            stripe,
            policy,
            clock,
            keepVerifiedOutputs: config.keepVerifiedOutputs === true,
            retryScheduleMs: config.dispatcher.retryScheduleMs,
          })
        : skipAll('stripe_not_configured'),
    },
    retryScheduleMs: config.dispatcher.retryScheduleMs,
    pollIntervalMs: config.dispatcher.pollIntervalMs,
    onFinished: (row, verdict, startedAt) => {
      metrics.inc('idv_reactions_total', { kind: row.kind, outcome: verdict.outcome });
      metrics.observe(
        'idv_reaction_dispatch_seconds',
        { kind: row.kind, outcome: verdict.outcome },
        (clock() - startedAt) / 1000,
      );
      if (tracer && row.reaction.eventId) {
        tracer.dispatched({
          eventId: row.reaction.eventId,
          kind: row.kind,
          topic: row.topic,
          attempt: row.attempts,
          startMs: startedAt,
          endMs: clock(),
          outcome: verdict.outcome,
        });
      }
    },
  });
  return { dispatcher, closeAdapters: () => adapters.close() };
}
