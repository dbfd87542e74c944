/**
 * The Fastify app factory. It receives every dependency, so tests run the real routes in-process with
 * `app.inject` or on an ephemeral port. Which routes exist follows the process role: a `worker` or
 * `dispatcher` process serves only health and metrics.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config, TrustProxy } from '../config/config.js';
import type { Policy } from '../domain/index.js';
import type { StripeGateway } from '../stripe/gateway.js';
import type { Store } from '../store/store.js';
import { requireBearer, type BearerGuard } from './auth.js';
import { AuthFailureWindow } from './auth-failures.js';
import { installErrorHandlers } from './errors.js';
import { rejectNulCharacters } from './input-guard.js';
import { Metrics } from './metrics.js';
import { requireRole } from './operators.js';
import {
  consoleSessionRoutes,
  requireOperatorOrSession,
  type ConsoleSessionDeps,
} from './console-session.js';
import { adminAuditRoutes } from './routes/admin-audit.js';
import { collectRoutes } from './openapi/document.js';
import { adminEventRoutes } from './routes/admin-events.js';
import { adminReviewClaimRoutes } from './routes/admin-review-claims.js';
import { adminSessionRoutes } from './routes/admin-sessions.js';
import { adminSubjectListRoutes } from './routes/admin-subject-list.js';
import { adminStatsRoutes } from './routes/admin-stats.js';
import { adminReactionRoutes } from './routes/admin-reactions.js';
import { adminReviewRoutes } from './routes/admin-reviews.js';
import { openApiRoutes } from './routes/openapi.js';
import { adminConsoleRoutes } from './routes/admin-console.js';
import { appSessionRoutes } from './routes/app-sessions.js';
import { adminUiRoutes } from './routes/admin-ui.js';
import { adminSubjectRoutes, appSubjectRoutes } from './routes/app-subjects.js';
import { healthRoutes } from './routes/health.js';
import { rawWebhookHandler } from './raw-webhook.js';
import type { ReceiveDeps } from './receive-webhook.js';
import { createLimitedServer } from './server-limits.js';

export interface HttpDeps {
  config: Config;
  store: Store;
  logger: Logger;
  policy: Policy;
  clock?: () => number;
  /** The webhook receiver's dependencies, built once by the composition root (main/compose.ts). */
  receive: ReceiveDeps;
  metrics?: Metrics;
  /** Stripe API gateway for the sessions API; undefined without STRIPE_SECRET_KEY (answers 503). */
  stripe?: StripeGateway | undefined;
  /** Called after a request wrote reactions (decision, replay), so an in-process dispatcher starts at once. */
  onReactionsQueued?: () => void;
}

export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? Date.now;
  const metrics = deps.metrics ?? new Metrics();
  const { config, store } = deps;
  const receives = config.role === 'all' || config.role === 'receiver';
  let closing = false;
  const webhook = receives ? rawWebhookHandler(deps.receive, config.maxBodyBytes, () => closing) : undefined;

  const app: FastifyInstance = Fastify({
    // POST /webhook is answered before Fastify's router (raw-webhook.ts says why); the rest is Fastify's.
    serverFactory: (handler) =>
      createLimitedServer(
        config.http,
        (req, res) => {
          // Matched on the path: an endpoint may be registered with a query string (…/webhook?env=prod).
          if (webhook && req.method === 'POST' && req.url?.split('?', 1)[0] === '/webhook') webhook(req, res);
          else handler(req, res);
        },
        { onConnectionRefused: () => metrics.inc('idv_http_connections_refused_total') },
      ),
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One log line per rejected webhook is written by the route; per-request lines would only add noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    // A subject ref is up to 128 code points (domain/subject-ref.ts), up to 12 characters each once
    // percent-encoded; Fastify's default of 100 would answer 414 to refs the API promises to serve.
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    // Route schemas check path and query parameters only (http/openapi/route-schema.ts), and never coerce,
    // fill in or strip anything: the handlers and the domain see exactly what the client sent.
    ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false } },
  });
  installErrorHandlers(app);
  const routes = collectRoutes(app);
  app.addHook('preValidation', rejectNulCharacters);
  app.addHook('onSend', async (request, reply) => {
    // Answered before the body was read (401, 413, 429…): closing the connection stops reading it.
    if (!request.raw.complete) reply.header('connection', 'close');
  });
  app.addHook('preClose', async () => {
    closing = true;
  });

  await app.register(healthRoutes, { store, metrics });
  // One window for both APIs: alternating between them must not buy extra guesses.
  const failures = new AuthFailureWindow();
  const guard = (api: BearerGuard['api'], variable: string): BearerGuard => ({
    api,
    variable,
    failures,
    metrics,
    clock,
  });
  if (config.apiToken) {
    const apiToken = config.apiToken;
    await app.register(async (api) => {
      api.addHook('onRequest', requireBearer(apiToken, guard('app', 'IDV_API_TOKEN')));
      await api.register(appSubjectRoutes, { store, policy: deps.policy, stripe: deps.stripe, clock });
      const encrypted = config.encryptionKeys.length > 0;
      await api.register(appSessionRoutes, {
        store,
        policy: deps.policy,
        stripe: deps.stripe,
        clock,
        encrypted,
      });
    });
  } else {
    deps.logger.info('app API (/v1) disabled: IDV_API_TOKEN is not set');
  }

  // On whenever an operator or IDV_ADMIN_TOKEN exists; operators are looked up per request, so the routes
  // are there even before the first `idv operator add`, answering 401 until then.
  await noteMissingOperator(store, config.adminToken, deps.logger);
  const signIn = { store, adminToken: config.adminToken, guard: guard('admin', 'operator token'), clock };
  await app.register(consoleSessionRoutes, signIn);
  await app.register(adminScope(deps, signIn, clock));
  await app.register(adminUiRoutes);
  await app.register(openApiRoutes, { routes, webhook: receives });
  return app;
}

/** The admin API: a Bearer token or a console session, then the route's role. */
function adminScope(deps: HttpDeps, signIn: ConsoleSessionDeps, clock: () => number) {
  const { store } = deps;
  return async (admin: FastifyInstance) => {
    admin.addHook('onRequest', requireOperatorOrSession(signIn));
    // Before validation: a role that may not use a route learns that (403), not what its input lacked.
    admin.addHook('preValidation', requireRole);
    await admin.register(adminEventRoutes, { store, clock });
    const onReactionsQueued = deps.onReactionsQueued;
    const shared = { store, stripe: deps.stripe, policy: deps.policy, clock, onReactionsQueued };
    await admin.register(adminReviewRoutes, shared);
    await admin.register(adminConsoleRoutes, shared);
    await admin.register(adminReactionRoutes, shared);
    await admin.register(adminSubjectRoutes, shared);
    await admin.register(adminReviewClaimRoutes, { store, clock });
    await admin.register(adminAuditRoutes, { store });
    await admin.register(adminSessionRoutes, { store });
    await admin.register(adminSubjectListRoutes, { store });
    await admin.register(adminStatsRoutes, { store, clock });
  };
}

async function noteMissingOperator(
  store: Pick<Store, 'listOperators'>,
  adminToken: string | undefined,
  logger: { info(message: string): void },
): Promise<void> {
  if (adminToken || (await store.listOperators()).length > 0) return;
  logger.info('admin API: no operator yet and IDV_ADMIN_TOKEN is not set; add one with `idv operator add`');
}

/** IDV_TRUST_PROXY as Fastify takes it: a hop count trusts that many peers nearest to idv. */
function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}
