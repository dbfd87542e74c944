/**
 * `startEmulator(options)`: a stateful local Stripe Identity that stripe-node talks to unmodified
 * (`new Stripe('sk_test_x', { host, port, protocol: 'http', maxNetworkRetries: 0 })`, reference §9), with
 * test helpers, signed webhook delivery and a hosted verification page. One instance = one in-memory
 * account; close() stops the server, pending deliveries and timers.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.js';
import { createChaos } from './chaos.js';
import { systemClock } from './clock.js';
import type { EmulatorContext } from './context.js';
import { Deliverer } from './delivery.js';
import { DEFAULT_API_VERSION } from './event-builder.js';
import { parseForm } from './form-body.js';
import { authenticate, readBody, sendHtml, sendJson } from './http-io.js';
import { IdempotencyCache } from './idempotency.js';
import { newRequestId } from './ids.js';
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_REDACTION_DELAY_MS,
  DEFAULT_DELIVERY_RETRY_SCHEDULE_MS,
  type EmulatorOptions,
} from './options.js';
import { Router, type Reply } from './router.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFileRoutes } from './routes/files.js';
import { registerHostedPageRoutes } from './routes/hosted-page.js';
import { registerTestHelperRoutes } from './routes/test-helpers.js';
import { registerVerificationReportRoutes } from './routes/verification-reports.js';
import { registerVerificationSessionRoutes } from './routes/verification-sessions.js';
import { registerWebhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { SessionService } from './sessions.js';
import { type DeliveryAttempt, EmulatorState } from './state.js';
import { loadState, saveState } from './state-file.js';
import { TimerSet } from './timers.js';

export interface Emulator {
  /** `http://host:port`; also the value for `STRIPE_API_BASE`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The in-memory account: sessions, reports, events, endpoints and every delivery attempt. */
  readonly state: EmulatorState;
  /** Resolves when no delivery is queued, in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Subscribe to delivery attempts; returns the unsubscribe function. */
  onDelivery(listener: (attempt: DeliveryAttempt) => void): () => void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? DEFAULT_HOST;
  const clock = options.clock ?? systemClock;
  const state = new EmulatorState();
  const save = persistence(state, options.stateFile);
  const timers = new TimerSet();
  const listeners = new Set<(attempt: DeliveryAttempt) => void>();
  if (options.onDelivery) listeners.add(options.onDelivery);
  const deliverer = new Deliverer({
    state,
    clock,
    timers,
    chaos: createChaos(options.chaos),
    retryScheduleMs: options.deliveryRetrySchedule ?? DEFAULT_DELIVERY_RETRY_SCHEDULE_MS,
    timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    onAttempt: (attempt) => listeners.forEach((listener) => listener(attempt)),
  });
  let baseUrl = '';
  const sessions = new SessionService({
    state,
    clock,
    timers,
    deliverer,
    baseUrl: () => baseUrl,
    redactionDelayMs: options.redactionDelayMs ?? DEFAULT_REDACTION_DELAY_MS,
  });
  const ctx: EmulatorContext = {
    state,
    sessions,
    deliverer,
    clock,
    baseUrl: () => baseUrl,
    verificationFlows: options.verificationFlows ?? {},
  };
  const router = buildRouter(ctx);
  const idempotency = new IdempotencyCache();

  const server = createServer((req, res) => {
    handle(req, res, router, idempotency)
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, new ApiError(500, 'api_error', errorMessage(err)).toJSON());
        else res.destroy();
      })
      .finally(save);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = options.publicUrl?.replace(/\/$/, '') ?? `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    host,
    port,
    state,
    idle: () => deliverer.idle(),
    onDelivery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        deliverer.close();
        timers.clear();
        save();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Loads the state file, if any, and returns the function that writes it back (a no-op without one). */
function persistence(state: EmulatorState, stateFile: string | undefined): () => void {
  if (stateFile === undefined) return () => undefined;
  loadState(state, stateFile);
  return () => {
    try {
      saveState(state, stateFile);
    } catch (err) {
      // A full disk must not take the emulator down; the next request tries again.
      process.emitWarning(`emulator state not saved to ${stateFile}: ${(err as Error).message}`);
    }
  };
}

function buildRouter(ctx: EmulatorContext): Router {
  const router = new Router();
  registerVerificationSessionRoutes(router, ctx);
  registerTestHelperRoutes(router, ctx);
  registerVerificationReportRoutes(router, ctx);
  registerWebhookEndpointRoutes(router, ctx);
  registerEventRoutes(router, ctx);
  registerHostedPageRoutes(router, ctx);
  registerFileRoutes(router, ctx);
  return router;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  router: Router,
  idempotency: IdempotencyCache,
): Promise<void> {
  const requestId = newRequestId();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const idempotencyKey = header(req, 'idempotency-key') ?? null;
  const headers: Record<string, string> = {
    'request-id': requestId,
    'stripe-version': header(req, 'stripe-version') ?? DEFAULT_API_VERSION,
  };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;

  try {
    const rawBody = await readBody(req);
    const found = router.match(method, url.pathname);
    if (found === undefined || found === 'method_not_allowed') {
      throw new ApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${url.pathname}).`,
      );
    }
    const { route, pathParams } = found;
    const keyKind = route.public ? 'secret' : authenticate(header(req, 'authorization'));
    if (/^application\/json/i.test(header(req, 'content-type') ?? '') && rawBody.trim() !== '') {
      throw new ApiError(
        400,
        'invalid_request_error',
        'Invalid request: request bodies must be application/x-www-form-urlencoded.',
      );
    }
    const params = { ...parseForm(url.search.slice(1)), ...parseForm(rawBody) };

    const useIdempotency = method === 'POST' && !route.public && idempotencyKey !== null;
    const replay = useIdempotency
      ? idempotency.lookup(idempotencyKey, method, url.pathname, rawBody)
      : undefined;
    if (replay) {
      sendJson(res, replay.status, replay.body, { ...headers, 'idempotent-replayed': 'true' });
      return;
    }
    const reply: Reply = route.handler({
      method,
      path: url.pathname,
      pathParams,
      params,
      headers: req.headers,
      requestId,
      idempotencyKey,
      keyKind,
    });
    if (useIdempotency && reply.kind === 'json' && reply.status < 300) {
      idempotency.remember(idempotencyKey, method, url.pathname, rawBody, {
        status: reply.status,
        body: reply.body,
      });
    }
    send(res, reply, headers);
  } catch (err) {
    if (err instanceof ApiError) sendJson(res, err.status, err.toJSON(), headers);
    else sendJson(res, 500, new ApiError(500, 'api_error', errorMessage(err)).toJSON(), headers);
  }
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (reply.kind === 'json') sendJson(res, reply.status, reply.body, headers);
  else if (reply.kind === 'html') sendHtml(res, reply.status, reply.body, headers);
  else if (reply.kind === 'binary') {
    res.writeHead(reply.status, {
      ...headers,
      'Content-Type': reply.contentType,
      'Content-Length': reply.body.length,
    });
    res.end(reply.body);
  } else {
    res.writeHead(303, { ...headers, Location: reply.location, 'Content-Length': '0' });
    res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A wildcard bind address is not something a browser can open. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
