/**
 * Library options onto the service's Config. Each option is written under the variable it stands for and
 * read by the same loaders as `idv serve` (config/service.ts), so an option gets the same checks and
 * defaults as its variable, and a message names the option: `webhookSecret: expected values of the form
 * whsec_…`. Nothing is read from the environment: the application passes what it wants.
 */
import type { Config } from '../config/config.js';
import { Reader } from '../config/reader.js';
import { readServiceConfig } from '../config/service.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/index.js';
import type { IdvOutcomesOptions } from './index.js';

const OPTION_FOR_VARIABLE: Readonly<Record<string, string>> = {
  STRIPE_WEBHOOK_SECRET: 'webhookSecret',
  IDV_DATABASE_URL: 'database',
  IDV_LIVEMODE: 'livemode',
  IDV_WEBHOOK_TOLERANCE: 'webhookToleranceSec',
  IDV_MAX_BODY_BYTES: 'maxBodyBytes',
  IDV_ENCRYPTION_KEY: 'encryptionKey',
  IDV_ENCRYPTION_KEYS: 'encryptionKeys',
  SMTP_URL: 'email.smtpUrl',
  IDV_EMAIL_FROM: 'email.from',
  IDV_TEMPLATES_DIR: 'email.templatesDir',
  IDV_RETRY_URL: 'email.retryUrl',
  IDV_RETRY_SCHEDULE_MS: 'retryScheduleMs',
  IDV_WORKER_POLL_MS: 'pollIntervalMs',
  IDV_DISPATCH_POLL_MS: 'pollIntervalMs',
};

/** Library mode's documented poll interval, for the worker and the dispatcher alike. */
const DEFAULT_POLL_INTERVAL_MS = 500;

export function configFromOptions(options: IdvOutcomesOptions): { config: Config; policy: Policy } {
  const email = options.email ?? {};
  const read = new Reader(
    {
      STRIPE_WEBHOOK_SECRET: listText(options.webhookSecret),
      IDV_DATABASE_URL: typeof options.database === 'string' ? options.database : undefined,
      IDV_LIVEMODE: text(options.livemode),
      IDV_WEBHOOK_TOLERANCE: text(options.webhookToleranceSec),
      IDV_MAX_BODY_BYTES: text(options.maxBodyBytes),
      IDV_ENCRYPTION_KEY: options.encryptionKey,
      IDV_ENCRYPTION_KEYS: listText(options.encryptionKeys),
      SMTP_URL: email.smtpUrl,
      IDV_EMAIL_FROM: email.from,
      IDV_TEMPLATES_DIR: email.templatesDir,
      IDV_RETRY_URL: email.retryUrl,
      IDV_RETRY_SCHEDULE_MS: listText(options.retryScheduleMs),
      IDV_WORKER_POLL_MS: text(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS),
      IDV_DISPATCH_POLL_MS: text(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS),
    },
    OPTION_FOR_VARIABLE,
  );
  const config = readServiceConfig(read, { requireWebhookSecret: true });
  let policy = DEFAULT_POLICY;
  try {
    if (options.policy !== undefined) policy = parsePolicy(options.policy);
  } catch (err) {
    read.problem('policy', (err as Error).message);
  }
  return { config: read.finish(config), policy };
}

function text(value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function listText(value: string | readonly (string | number)[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.map(String).join(',');
}
