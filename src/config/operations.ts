/**
 * Settings of the one-shot operator commands, each reading only what it uses: `idv migrate` the database,
 * `idv replay` what the worker needs, `idv reconcile` the Stripe API and the time window.
 */
import {
  DATABASE_URL_VARIABLE,
  ENCRYPTION_VARIABLES,
  readDatabaseUrl,
  readEncryptionKeys,
} from './database.js';
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';
import {
  MODE_VARIABLES,
  STRIPE_API_VARIABLES,
  readAcceptedMode,
  readStripeApi,
  type AcceptedMode,
} from './stripe-api.js';
import {
  LOG_LEVEL_VARIABLE,
  POLICY_VARIABLE,
  WORKER_VARIABLES,
  readLogLevel,
  readPolicyFile,
  readWorker,
  type WorkerSettings,
} from './worker.js';

export interface MigrateSettings {
  readonly databaseUrl: string;
}

export interface ReplaySettings {
  readonly databaseUrl: string;
  readonly encryptionKeys: readonly string[];
  readonly policyFile: string | undefined;
  readonly logLevel: string;
  readonly worker: WorkerSettings;
  readonly dead: boolean;
}

export interface ReconcileSettings {
  readonly databaseUrl: string;
  /** Reconciled events are stored like received ones: encrypted with a key. */
  readonly encryptionKeys: readonly string[];
  readonly stripeSecretKey: string;
  readonly stripeApiBase: string | undefined;
  readonly acceptedMode: AcceptedMode;
  /** How far back to look, in seconds. */
  readonly sinceSec: number;
  /** Stripe's `delivery_success` filter; `false` = only events some endpoint never got (reference §4.1). */
  readonly deliverySuccess: boolean | undefined;
}

export const MIGRATE_VARIABLES: readonly EnvSpec[] = [DATABASE_URL_VARIABLE];

export interface RekeySettings {
  readonly databaseUrl: string;
  readonly encryptionKeys: readonly string[];
  readonly batchSize: number;
}

export const REKEY_VARIABLES: readonly EnvSpec[] = [DATABASE_URL_VARIABLE, ...ENCRYPTION_VARIABLES];

export function readRekey(read: Reader): RekeySettings {
  const encryptionKeys = readEncryptionKeys(read);
  if (encryptionKeys.length === 0) {
    read.problem('IDV_ENCRYPTION_KEYS', 'required: the key ring, the key to encrypt with first');
  }
  return {
    databaseUrl: readDatabaseUrl(read),
    encryptionKeys,
    batchSize: read.int('--batch', 500, 1, 10_000),
  };
}

export const REPLAY_VARIABLES: readonly EnvSpec[] = [
  DATABASE_URL_VARIABLE,
  ...ENCRYPTION_VARIABLES,
  ...WORKER_VARIABLES,
  POLICY_VARIABLE,
  LOG_LEVEL_VARIABLE,
];

export const RECONCILE_VARIABLES: readonly EnvSpec[] = [
  DATABASE_URL_VARIABLE,
  ...ENCRYPTION_VARIABLES,
  ...STRIPE_API_VARIABLES,
  ...MODE_VARIABLES,
];

/** Stripe keeps events for 30 days (reference §4.1), so a longer window cannot be fetched. */
export const MAX_SINCE_SEC = 30 * 86_400;

export function readMigrate(read: Reader): MigrateSettings {
  return { databaseUrl: readDatabaseUrl(read) };
}

export function readReplay(read: Reader): ReplaySettings {
  return {
    databaseUrl: readDatabaseUrl(read),
    encryptionKeys: readEncryptionKeys(read),
    policyFile: readPolicyFile(read),
    // Replay prints its own summary; info-level worker lines would bury it.
    logLevel: readLogLevel(read, 'warn'),
    worker: readWorker(read),
    dead: read.switch('--dead'),
  };
}

export function readReconcile(read: Reader): ReconcileSettings {
  const sinceSec = readDuration(read, '--since', '72h', MAX_SINCE_SEC);
  const databaseUrl = readDatabaseUrl(read);
  const { stripeSecretKey, stripeApiBase } = readStripeApi(read);
  if (stripeSecretKey === undefined)
    read.problem('STRIPE_SECRET_KEY', 'required (sk_… or rk_… with Events: Read)');
  const { acceptedMode } = readAcceptedMode(read, stripeSecretKey);
  return {
    databaseUrl,
    encryptionKeys: readEncryptionKeys(read),
    stripeSecretKey: stripeSecretKey ?? '',
    stripeApiBase,
    acceptedMode,
    sinceSec,
    deliverySuccess: readDeliverySuccess(read),
  };
}

function readDeliverySuccess(read: Reader): boolean | undefined {
  const value = read.string('--delivery-success');
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') read.problem('--delivery-success', 'expected true or false');
  return value === 'true';
}

/** `72h`, `30m`, `7d` or plain seconds, into seconds. */
export function readDuration(read: Reader, name: string, fallback: string, maxSec: number): number {
  const value = read.string(name, fallback)!;
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    read.problem(name, `expected a duration like 72h, 30m or 7d, got "${value.slice(0, 20)}"`);
    return 0;
  }
  if (seconds > maxSec) read.problem(name, 'Stripe keeps events for 30 days at most; use 30d or less');
  return seconds;
}

/** `72h`, `30m`, `7d`, `5s` or plain seconds, into seconds; undefined when it is none of those. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * ({ s: 1, m: 60, h: 3600, d: 86_400, '': 1 } as const)[match[2] as 's'];
}
