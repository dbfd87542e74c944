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
import type { Policy } from '../domain/index.js';
import { IdvError } from '../errors.js';
import { readSubjectRef } from '../http/input-guard.js';
import { readBody } from '../http/routes/app-sessions.js';
import { readSubjectView, type SubjectAnswer } from '../http/routes/app-subjects.js';
import { webhookPlugin } from '../http/routes/webhook.js';
import { decideOpenReview } from '../outcomes/decide-review.js';
import { openSession, type OpenedSession } from '../outcomes/open-session.js';
import type { ReviewRecord } from '../store/records.js';
import { composeSystem } from '../main/compose.js';
import type { MailTransport } from '../reactions/email/email-reaction.js';
import type { Store } from '../store/store.js';
import { whenPipelineIdle } from '../worker/loop.js';
import { createExpressRouter, type NodeMiddleware } from './express.js';
import { createHandlerRunner, type OutcomeHandlers } from './handlers.js';
import { configFromOptions } from './options.js';

export interface IdvOutcomesOptions {
  /** The endpoint's signing secret(s), `whsec_…`; several during a rotation. Required. */
  webhookSecret: string | readonly string[];
  /** `sqlite:<path>` (default `sqlite:./data/idv.db`), `postgres://…`, or an open Store. */
  database?: string | Store;
  handlers?: OutcomeHandlers;
  /** `sk_…` or `rk_…`: lets `openSession` create verification sessions (as STRIPE_SECRET_KEY). */
  stripeSecretKey?: string;
  /** Another Stripe API host, such as the emulator (as STRIPE_API_BASE). */
  stripeApiBase?: string;
  /** The policy in the IDV_POLICY file's shape (`{ max_attempts, categories, exhausted }`); default built-in. */
  policy?: unknown;
  /** `true`: accept live events only; `false`: test events only; unset: both. */
  livemode?: boolean;
  webhookToleranceSec?: number;
  /** 64 hex characters: encrypts personal data at rest (as IDV_ENCRYPTION_KEY does for the service). */
  encryptionKey?: string;
  /** The key ring, current key first (as IDV_ENCRYPTION_KEYS); older keys only decrypt. */
  encryptionKeys?: readonly string[];
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

/** The body of `POST /v1/subjects/:ref/sessions` (README "Sessions API"), in Stripe's field names. */
export type SessionRequest = Record<string, unknown>;

export interface IdvOutcomes {
  /**
   * A user's verification state, exactly as GET /v1/subjects/:ref answers it (README "Interfaces"): an
   * unknown ref is `unverified` with every attempt left; an erased one throws IdvError `subject_erased`.
   */
  getSubject(ref: string): Promise<SubjectAnswer>;
  /** The store's records, for reads beyond the subject view (`listReactions`, `listReviews`, …). */
  readonly store: Store;
  readonly policy: Policy;
  /** A Fastify plugin with POST /webhook (raw body parsing scoped to that route). Register with a prefix to move it. */
  readonly fastifyPlugin: (app: FastifyInstance) => Promise<void>;
  /** Express (or plain node:http) middleware answering POST /webhook; mount it before any JSON body parser. */
  expressRouter(): NodeMiddleware;
  /**
   * `POST /v1/subjects/:ref/sessions` in process: the same fields (`email`, `type`, `verification_flow`,
   * `options`, `provided_details`, `related_customer`, `related_customer_account`, `related_person`,
   * `return_url`), the same validation, refusals and attempt limit. Throws IdvError (`code`, `details.param`).
   */
  openSession(ref: string, request?: SessionRequest): Promise<OpenedSession>;
  /** Decides an open review case, as `POST /admin/api/reviews/:id/decision` does. */
  decideReview(
    reviewId: string,
    decision: { decision: 'approve' | 'reject'; note: string; actor?: string },
  ): Promise<ReviewRecord>;
  /** Starts the worker (with event retention, as IDV_EVENT_RETENTION_DAYS' default) and the dispatcher. */
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

/**
 * Builds through the same composition root as `idv serve` (main/compose.ts) from a Config the options map
 * onto (options.ts): the same validation, worker and dispatcher tuning, body limit and event retention.
 */
export async function createIdvOutcomes(options: IdvOutcomesOptions): Promise<IdvOutcomes> {
  const { config, policy } = configFromOptions(options);
  const given = typeof options.database === 'object' ? options.database : undefined;
  const system = await composeSystem(config, {
    policy,
    ...(given ? { store: given, keepStoreOpen: true } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.email?.transport ? { mailTransport: options.email.transport } : {}),
    callbackRunner: createHandlerRunner(options.handlers ?? {}),
  });
  const clock = options.clock ?? Date.now;
  return {
    store: system.store,
    policy: system.policy,
    getSubject: async (ref) => readSubjectView(system, readSubjectRef({ ref })),
    fastifyPlugin: webhookPlugin(system.receiveDeps, config.maxBodyBytes),
    expressRouter: () => createExpressRouter(system.receiveDeps, config.maxBodyBytes),
    async openSession(ref, request) {
      const { email, fields, expected, account } = readBody(request ?? {});
      if (!system.stripe) {
        throw new IdvError(
          'stripe_not_configured',
          'Pass stripeSecretKey to let idv create verification sessions.',
        );
      }
      const deps = {
        store: system.store,
        stripe: system.stripe,
        policy: system.policy,
        clock,
        encrypted: system.config.encryptionKeys.length > 0,
      };
      return openSession(deps, { ref: readSubjectRef({ ref }), email, fields, expected, account });
    },
    async decideReview(reviewId, decision) {
      const review = await decideOpenReview(
        { store: system.store, policy: system.policy, clock },
        {
          reviewId,
          decision: decision.decision,
          note: decision.note,
          actor: decision.actor ?? 'application',
        },
      );
      system.onReactionsQueued?.();
      return review;
    },
    start: () => system.start(),
    whenIdle: () => whenPipelineIdle(system.worker, system.dispatcher),
    stop: () => system.stop(),
    close: () => system.close(),
  };
}

export type { OutcomeEvent, OutcomeHandler, OutcomeHandlers } from './handlers.js';
export type { NodeMiddleware } from './express.js';
export type { SubjectAnswer as SubjectView } from '../http/routes/app-subjects.js';
