/**
 * Composition root of `idv serve`: config in, running service out. The only module (with cli/) that wires
 * adapters together; everything it starts is stopped by `close()` in reverse order.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { buildHttpApp } from '../http/app.js';
import { Metrics } from '../http/metrics.js';
import type { Store } from '../store/store.js';
import { createLogger } from './logger.js';
import { openStore } from './open-store.js';

export interface RunningService {
  app: FastifyInstance;
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
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? Date.now;
  const store = options.store ?? (await openStore(config.databaseUrl, { pgPoolSize: config.pgPoolSize }));
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

    const app = await buildHttpApp({ config, store, logger, clock, metrics });
    stops.unshift(() => app.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    logger.info({ url, role: config.role, store: store.kind }, 'idv serving');

    let closing: Promise<void> | undefined;
    return {
      app,
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
