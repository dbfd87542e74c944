/**
 * Library mode: idv-outcomes inside an existing Node application instead of beside it.
 *
 *   const idv = await createIdvOutcomes({ webhookSecret, database, handlers: { onVerified, … } });
 *   await app.register(idv.fastifyPlugin);      // or: app.use(idv.expressRouter())
 *   idv.start();                                // worker + dispatcher in this process
 *
 * The same parts as `idv serve` — inbox, worker, outbox, dispatcher, store — with typed in-process
 * handlers in place of signed HTTP callbacks. Everything is still durable: an event is answered 2xx only
 * once stored, and a handler that throws is called again on the retry schedule.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AcceptedMode } from '../config/config.js';
import { DEFAULT_RETRY_SCHEDULE_MS } from '../config/load.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/index.js';
import { createLogger } from '../main/logger.js';
import { openStore } from '../main/open-store.js';
import { withEncryptedPersonalData } from '../store/encrypting-store.js';
import { PersonalDataCipher } from '../store/personal-data-cipher.js';
import { buildReactionRunners } from '../reactions/index.js';
import type { MailTransport } from '../reactions/email/email-reaction.js';
import type { Store } from '../store/store.js';
import { Dispatcher } from '../worker/dispatcher.js';
import { EventWorker } from '../worker/event-worker.js';
import { whenPipelineIdle } from '../worker/loop.js';
import { createExpressRouter, type NodeMiddleware } from './express.js';
import { createHandlerRunner, type OutcomeHandlers } from './handlers.js';
import type { ReceiveDeps } from '../http/receive-webhook.js';
import { webhookPlugin } from '../http/routes/webhook.js';

export interface IdvOutcomesOptions {
  /** The endpoint's signing secret(s), `whsec_…`; several during a rotation. Required. */
  webhookSecret: string | readonly string[];
  /** `sqlite:<path>` (default `sqlite:./data/idv.db`), `postgres://…`, or an open Store. */
  database?: string | Store;
  handlers?: OutcomeHandlers;
  /** The policy in the IDV_POLICY file's shape (`{ max_attempts, categories, exhausted }`); default built-in. */
  policy?: unknown;
  /** `true`: accept live events only; `false`: test events only; unset: both. */
  livemode?: boolean;
  webhookToleranceSec?: number;
  /** 64 hex characters: encrypts the subject's email at rest (as IDV_ENCRYPTION_KEY does for the service). */
  encryptionKey?: string;
  maxBodyBytes?: number;
  /** Emails, as in the service (SMTP_URL, IDV_EMAIL_FROM, IDV_TEMPLATES_DIR, IDV_RETRY_URL), or your own transport. */
  email?: {
    smtpUrl?: string;
    transport?: MailTransport;
    from?: string;
    templatesDir?: string;
    retryUrl?: string;
  };
  /** Delays between handler tries, ms; dead after the last. Default as IDV_RETRY_SCHEDULE_MS. */
  retryScheduleMs?: readonly number[];
  /** How often the worker and dispatcher look for work without a wake-up, ms (default 500). */
  pollIntervalMs?: number;
  logger?: Logger;
  clock?: () => number;
}

export interface IdvOutcomes {
  /** The store, for reads (`getSubject`, `listReactions`, `listReviews`, …). */
  readonly store: Store;
  readonly policy: Policy;
  /** A Fastify plugin with POST /webhook (raw body parsing scoped to that route). Register with a prefix to move it. */
  readonly fastifyPlugin: (app: FastifyInstance) => Promise<void>;
  /** Express (or plain node:http) middleware answering POST /webhook; mount it before any JSON body parser. */
  expressRouter(): NodeMiddleware;
  /** Starts the worker and the dispatcher in this process. */
  start(): void;
  /**
   * Resolves once nothing is due in this process: everything stored before the call has been applied and
   * every reaction it planned has run, except those waiting for a later retry (`store.countBacklog()` counts
   * them). For a graceful shutdown (close your server, `await idv.whenIdle()`, then `idv.close()`) and for
   * tests that count handler calls. Rejects if the worker and dispatcher are not started, or stop first.
   */
  whenIdle(): Promise<void>;
  /** Stops them (waits for the batch in hand). */
  stop(): Promise<void>;
  /** stop(), then closes the store if idv opened it. */
  close(): Promise<void>;
}

export async function createIdvOutcomes(options: IdvOutcomesOptions): Promise<IdvOutcomes> {
  const secrets = (
    typeof options.webhookSecret === 'string' ? [options.webhookSecret] : [...options.webhookSecret]
  )
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (secrets.length === 0 || secrets.some((s) => !s.startsWith('whsec_'))) {
    throw new TypeError('createIdvOutcomes: webhookSecret must be one or more whsec_… signing secrets');
  }
  const policy = options.policy === undefined ? DEFAULT_POLICY : parsePolicy(options.policy);
  const logger = options.logger ?? createLogger('info');
  const clock = options.clock ?? Date.now;
  const ownsStore = typeof options.database !== 'object';
  const opened =
    typeof options.database === 'object'
      ? options.database
      : await openStore(options.database ?? 'sqlite:./data/idv.db');
  const store = options.encryptionKey
    ? withEncryptedPersonalData(opened, new PersonalDataCipher(options.encryptionKey))
    : opened;
  await store.migrate();

  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const worker = new EventWorker({
    store,
    policy,
    logger,
    clock,
    pollIntervalMs,
    leaseMs: 30_000,
    batchSize: 100,
    maxEventAttempts: 8,
    // The event's reactions were written with it: look at once (runs only after start(), below).
    onProcessed: () => dispatcher.wake(),
  });
  const email = options.email ?? {};
  const adapters = buildReactionRunners(
    {
      smtpUrl: email.smtpUrl,
      emailFrom: email.from ?? 'idv-outcomes <no-reply@localhost>',
      templatesDir: email.templatesDir,
      retryUrl: email.retryUrl,
      callbackTimeoutMs: 10_000,
    },
    {
      store,
      clock,
      ...(email.transport ? { transport: email.transport } : {}),
      callback: createHandlerRunner(options.handlers ?? {}),
    },
  );
  const dispatcher = new Dispatcher({
    store,
    logger,
    clock,
    runners: adapters.runners,
    retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    pollIntervalMs,
  });

  const acceptedMode: AcceptedMode =
    options.livemode === undefined ? 'any' : options.livemode ? 'live' : 'test';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const receiveDeps: ReceiveDeps = {
    store,
    secrets,
    toleranceSec: options.webhookToleranceSec ?? 300,
    acceptedMode,
    clock,
    logger,
    onEventStored: () => worker.wake(),
  };

  const fastifyPlugin = webhookPlugin(receiveDeps, maxBodyBytes);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    await Promise.all([worker.stop(), dispatcher.stop()]);
  };
  return {
    store,
    policy,
    fastifyPlugin,
    expressRouter: () => createExpressRouter(receiveDeps, maxBodyBytes),
    start() {
      stopping = undefined;
      worker.start();
      dispatcher.start();
    },
    whenIdle: () => whenPipelineIdle(worker, dispatcher),
    stop,
    close: () =>
      (stopping ??= (async () => {
        await stop();
        adapters.close();
        if (ownsStore) await store.close();
      })()),
  };
}

export type { OutcomeEvent, OutcomeHandler, OutcomeHandlers } from './handlers.js';
export type { NodeMiddleware } from './express.js';
