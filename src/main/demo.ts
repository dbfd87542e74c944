/**
 * `idv demo`: the whole product offline. Starts the Stripe Identity emulator, a mail sink, registers the
 * webhook endpoint at the emulator (which returns its signing secret), starts idv on SQLite under the data
 * folder with that secret, and serves a demo page. Nothing leaves this machine.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEmulator } from '@idv-outcomes/emulator';
import { startMailSink } from '@idv-outcomes/emulator/mail-sink';
import type { Logger } from 'pino';
import { loadConfig } from '../config/load.js';
import { startDemoServer } from '../demo/server.js';
import { IDENTITY_EVENT_TYPES } from '../domain/terms.js';
import { createStripeClient } from '../stripe/client.js';
import { startService } from './service.js';

const DEMO_ENDPOINT = 'idv demo';

export interface DemoOptions {
  dataDir: string;
  /** Preferred ports; a taken port falls back to a free one. */
  ports: { demo: number; service: number; emulator: number };
  /** The service's log level (default warn: the demo prints its own summary). */
  logLevel?: string;
  logger?: Logger;
}

export interface RunningDemo {
  urls: { demo: string; service: string; admin: string; emulator: string; smtp: string };
  adminToken: string;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    // The emulator keeps its account beside idv's database: a restarted demo still knows the sessions
    // ./data remembers, so a user half-way through a verification can finish it.
    mkdirSync(options.dataDir, { recursive: true });
    const emulator = await startEmulator({
      port: await freePort(options.ports.emulator),
      stateFile: join(options.dataDir, 'emulator-state.json'),
    });
    closers.push(() => emulator.close());
    const mail = await startMailSink();
    closers.push(() => mail.close());

    const servicePort = await freePort(options.ports.service);
    const secretKey = 'sk_test_idv_demo';
    const stripe = createStripeClient({ secretKey, apiBase: emulator.url, maxNetworkRetries: 0 });
    // The previous run's endpoint pointed at its own port, with a secret this run does not hold.
    for (const old of (await stripe.webhookEndpoints.list({ limit: 100 })).data)
      if (old.description === DEMO_ENDPOINT) await stripe.webhookEndpoints.del(old.id);
    const endpoint = await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${servicePort}/webhook`,
      enabled_events: [...IDENTITY_EVENT_TYPES],
      description: DEMO_ENDPOINT,
    });

    const demoPort = await freePort(options.ports.demo);
    const apiToken = randomBytes(16).toString('hex');
    const adminToken = randomBytes(16).toString('hex');
    const config = loadConfig(
      [],
      {
        PORT: String(servicePort),
        HOST: '127.0.0.1',
        IDV_DATABASE_URL: `sqlite:${join(options.dataDir, 'idv.db')}`,
        STRIPE_WEBHOOK_SECRET: endpoint.secret ?? '',
        STRIPE_SECRET_KEY: secretKey,
        STRIPE_API_BASE: emulator.url,
        IDV_ENCRYPTION_KEY: demoEncryptionKey(options.dataDir),
        IDV_API_TOKEN: apiToken,
        IDV_ADMIN_TOKEN: adminToken,
        SMTP_URL: mail.url,
        IDV_EMAIL_FROM: 'idv demo <verify@demo.test>',
        IDV_RETRY_URL: `http://127.0.0.1:${demoPort}/?ref={ref}`,
        IDV_WORKER_POLL_MS: '100',
        IDV_DISPATCH_POLL_MS: '100',
        LOG_LEVEL: options.logLevel ?? 'warn',
      },
      { requireWebhookSecret: true },
    );
    const service = await startService(config, options.logger ? { logger: options.logger } : {});
    closers.push(() => service.close());
    const demo = await startDemoServer({ port: demoPort, serviceUrl: service.url, apiToken, mail });
    closers.push(() => demo.app.close());

    return {
      urls: {
        demo: demo.url,
        service: service.url,
        admin: `${service.url}/admin`,
        emulator: emulator.url,
        smtp: mail.url,
      },
      adminToken,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The demo encrypts personal data like a production install should: its key lives beside its database
 * (`encryption.key`, readable by the owner only), made on the first start and reused after.
 */
function demoEncryptionKey(dataDir: string): string {
  const path = join(dataDir, 'encryption.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}

/** `preferred` if it is free on 127.0.0.1, else a port the OS picks. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const bound = typeof address === 'object' && address ? address.port : null;
        server.close(() => resolve(bound));
      });
    });
  return (preferred > 0 ? await tryListen(preferred) : null) ?? (await tryListen(0)) ?? 0;
}
