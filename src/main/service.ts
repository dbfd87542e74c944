/**
 * `idv serve` (and the demo): the composed system (compose.ts) behind a listening HTTP server. Everything it
 * starts is stopped by `close()`: HTTP first (no new events, in-flight requests finish), then the loops,
 * then the store.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';
import type { Dispatcher } from '../worker/dispatcher.js';
import type { EventWorker } from '../worker/event-worker.js';
import { composeSystem, type ComposeOverrides, type RemoteLoops } from './compose.js';
import { startLoopThreads, usesLoopThreads, type LoopThreads } from './loop-threads.js';

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

/** Adapters a test replaces: logger, clock, store, Stripe gateway, fetch, mail transport. */
export type ServiceOptions = Pick<
  ComposeOverrides,
  'logger' | 'clock' | 'store' | 'stripe' | 'fetch' | 'mailTransport'
>;

export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  // Wake-ups reach the loop threads once they run; until then the threads' first rounds find the work.
  let threads: LoopThreads | undefined;
  const remoteLoops: RemoteLoops | undefined = usesLoopThreads(config)
    ? { nudgeWorker: () => threads?.nudgeWorker(), wakeDispatcher: () => threads?.wakeDispatcher() }
    : undefined;
  const system = await composeSystem(config, { ...options, ...(remoteLoops ? { remoteLoops } : {}) });
  const { logger, store, worker, dispatcher } = system;
  if (config.acceptedMode === 'live' && config.encryptionKeys.length === 0) {
    logger.warn(
      'live mode without IDV_ENCRYPTION_KEYS: personal data (emails, event payloads, review notes) is stored in clear',
    );
  }
  if (config.acceptedModeSource === 'default') {
    logger.warn('accepting both live and test events: set IDV_LIVEMODE or STRIPE_SECRET_KEY to pin the mode');
  }
  let app: FastifyInstance | undefined;
  try {
    app = await system.buildHttpApp();
    await app.listen({ port: config.port, host: config.host });
    if (remoteLoops) threads = startLoopThreads(config, logger, system.metrics);
  } catch (err) {
    await app?.close().catch(() => undefined);
    await system.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  system.start();
  logger.info({ url, role: config.role, store: store.kind, loopThreads: Boolean(threads) }, 'idv serving');

  const listening = app;
  let closing: Promise<void> | undefined;
  return {
    app: listening,
    worker,
    dispatcher,
    store,
    logger,
    url,
    close: () =>
      (closing ??= (async () => {
        await listening.close();
        await threads?.stop();
        await system.close();
      })()),
  };
}
