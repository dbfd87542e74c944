/**
 * The service's configuration from one Reader: every part's loader in turn, so one pass reports every bad
 * variable. `idv serve`, library mode (options mapped onto the same names) and the demo all come here.
 */
import type { Config } from './config.js';
import { DATABASE_VARIABLES, DATABASE_URL_VARIABLE, readDatabase } from './database.js';
import type { EnvSpec, FlagSpec } from './flags.js';
import { HTTP_FLAGS, HTTP_LABELS, HTTP_VARIABLES, ROLE_FLAG, readHttp } from './http.js';
import { DISPATCHER_VARIABLES, REACTION_VARIABLES, readDispatcher, readReactions } from './reactions.js';
import type { Reader } from './reader.js';
import { RECONCILE_EVERY_VARIABLE, readReconcileEvery } from './reconcile-schedule.js';
import { RETENTION_VARIABLES, readRetention } from './retention.js';
import { TELEMETRY_VARIABLES, readTelemetry } from './telemetry.js';
import { MODE_VARIABLES, STRIPE_API_VARIABLES, readAcceptedMode, readStripeApi } from './stripe-api.js';
import { WEBHOOK_VARIABLES, readWebhook } from './webhook.js';
import {
  LOG_LEVEL_VARIABLE,
  LOOP_THREADS_VARIABLE,
  POLICY_VARIABLE,
  WORKER_VARIABLES,
  readLogLevel,
  readLoopThreads,
  readPolicyFile,
  readWorker,
} from './worker.js';

export interface ServiceConfigOptions {
  /** `idv serve` refuses to start without a webhook secret; `idv migrate` does not need one. */
  requireWebhookSecret: boolean;
}

export const DATABASE_FLAG: FlagSpec = {
  name: 'db',
  value: 'URL',
  env: DATABASE_URL_VARIABLE.name,
  description: DATABASE_URL_VARIABLE.description,
};

/** The flags `loadConfig` (and so `idv serve`) accepts. */
export const SERVICE_FLAGS: readonly FlagSpec[] = [...HTTP_FLAGS, DATABASE_FLAG, ROLE_FLAG];

export const SERVICE_VARIABLES: readonly EnvSpec[] = [
  ...WEBHOOK_VARIABLES,
  ...HTTP_VARIABLES,
  ...DATABASE_VARIABLES,
  ...STRIPE_API_VARIABLES,
  ...MODE_VARIABLES,
  ...REACTION_VARIABLES,
  ...DISPATCHER_VARIABLES,
  ...WORKER_VARIABLES,
  LOOP_THREADS_VARIABLE,
  ...RETENTION_VARIABLES,
  RECONCILE_EVERY_VARIABLE,
  ...TELEMETRY_VARIABLES,
  POLICY_VARIABLE,
  LOG_LEVEL_VARIABLE,
];

export const SERVICE_LABELS: Readonly<Record<string, string>> = HTTP_LABELS;

/** Reads without throwing; the caller's `read.finish(…)` reports the problems. */
export function readServiceConfig(read: Reader, options: ServiceConfigOptions): Config {
  const webhook = readWebhook(read, options);
  const stripe = readStripeApi(read);
  const mode = readAcceptedMode(read, stripe.stripeSecretKey);
  const database = readDatabase(read);
  const http = readHttp(read);
  // Verified outputs are personal data: they are kept only encrypted (DESIGN.md "Privacy").
  if (stripe.keepVerifiedOutputs && database.encryptionKeys.length === 0)
    read.problem('IDV_KEEP_VERIFIED_OUTPUTS', 'needs IDV_ENCRYPTION_KEY (or IDV_ENCRYPTION_KEYS) to be set');
  return {
    ...http,
    ...database,
    ...webhook,
    ...mode,
    ...stripe,
    ...readReactions(read),
    policyFile: readPolicyFile(read),
    logLevel: readLogLevel(read),
    worker: readWorker(read),
    loopThreads: readLoopThreads(read),
    dispatcher: readDispatcher(read),
    retention: readRetention(read),
    telemetry: readTelemetry(read),
    reconcileEverySec: readReconcileEvery(read, stripe.stripeSecretKey),
  };
}
