/**
 * `loadConfig(argv, env)`: the one pure function that turns flags and environment into a frozen, validated
 * Config. Flags override environment variables. Every error names the variable (or flag) and the expected form,
 * and all errors are reported at once so a user fixes their environment in one pass.
 */
import { isIP } from 'node:net';
import { parseArgs } from '../cli/args.js';
import { IdvError } from '../errors.js';
import { ROLES, type AcceptedMode, type Config, type Role, type TrustProxy } from './config.js';

export interface LoadOptions {
  /** `idv serve` refuses to start without a webhook secret; `idv migrate` does not need one. */
  requireWebhookSecret: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const FLAG_TO_ENV: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  db: 'IDV_DATABASE_URL',
  role: 'IDV_ROLE',
};

/** Default retry schedule for reactions: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h up to 3 days. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 43_200_000, 43_200_000, 43_200_000,
  43_200_000,
];

export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: LoadOptions,
): Config {
  const args = parseArgs(argv);
  const problems: string[] = [];
  const unknownFlags = Object.keys(args.flags).filter((flag) => !(flag in FLAG_TO_ENV));
  for (const flag of unknownFlags)
    problems.push(
      `--${flag}: unknown option (known: ${Object.keys(FLAG_TO_ENV)
        .map((f) => `--${f}`)
        .join(', ')})`,
    );
  if (args.positionals.length > 0) problems.push(`unexpected argument "${args.positionals[0]}"`);

  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, name] of Object.entries(FLAG_TO_ENV)) {
    const value = args.flags[flag];
    if (value === true) problems.push(`--${flag}: expected a value`);
    else if (value !== undefined) merged[name] = value;
  }
  const read = new Reader(merged, problems);

  const webhookSecrets = read.list('STRIPE_WEBHOOK_SECRET');
  if (options.requireWebhookSecret && webhookSecrets.length === 0) {
    problems.push(
      'STRIPE_WEBHOOK_SECRET: required; the endpoint signing secret(s) from Stripe, `whsec_…`, several comma-separated during a rotation (run `idv endpoint create --url …` or see the Dashboard)',
    );
  }
  for (const secret of webhookSecrets) {
    if (!secret.startsWith('whsec_') || secret.length < 10) {
      problems.push(
        `STRIPE_WEBHOOK_SECRET: expected values of the form whsec_…, got one starting "${secret.slice(0, 6)}"`,
      );
    }
  }

  const stripeSecretKey = read.string('STRIPE_SECRET_KEY');
  if (stripeSecretKey !== undefined && !/^(sk|rk)_(live|test)_/.test(stripeSecretKey)) {
    problems.push('STRIPE_SECRET_KEY: expected sk_live_…, sk_test_…, rk_live_… or rk_test_…');
  }
  const { acceptedMode, acceptedModeSource } = resolveMode(read, stripeSecretKey, problems);

  const databaseUrl = read.string('IDV_DATABASE_URL') ?? 'sqlite:./data/idv.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('IDV_DATABASE_URL: expected sqlite:<path> or postgres://user@host:port/db');
  }

  const role = read.string('IDV_ROLE') ?? 'all';
  if (!ROLES.includes(role as Role))
    problems.push(`IDV_ROLE (--role): expected one of ${ROLES.join(', ')}, got "${role}"`);

  const callbackUrl = read.url('IDV_CALLBACK_URL');
  const callbackSecret = read.string('IDV_CALLBACK_SECRET');
  if (callbackUrl && !callbackSecret)
    problems.push('IDV_CALLBACK_SECRET: required when IDV_CALLBACK_URL is set (callbacks are always signed)');

  const encryptionKey = read.string('IDV_ENCRYPTION_KEY');
  if (encryptionKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(encryptionKey)) {
    problems.push(
      'IDV_ENCRYPTION_KEY: expected 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`',
    );
  }

  const { adminToken, apiToken } = readTokens(read, problems);
  const http = readHttpLimits(read, problems);

  const config: Config = {
    port: read.int('PORT', 4242, 0, 65535),
    host: read.string('HOST') ?? '127.0.0.1',
    role: role as Role,
    databaseUrl,
    pgPoolSize: read.int('IDV_PG_POOL_SIZE', 10, 1, 200),
    webhookSecrets,
    webhookToleranceSec: read.int('IDV_WEBHOOK_TOLERANCE', 300, 1, 86_400),
    maxBodyBytes: read.int('IDV_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    acceptedMode,
    acceptedModeSource,
    stripeSecretKey,
    stripeApiBase: read.url('STRIPE_API_BASE'),
    adminToken,
    apiToken,
    http,
    smtpUrl: read.url('SMTP_URL'),
    emailFrom: read.string('IDV_EMAIL_FROM') ?? 'idv-outcomes <no-reply@localhost>',
    templatesDir: read.string('IDV_TEMPLATES_DIR'),
    retryUrl: read.url('IDV_RETRY_URL'),
    callbackUrl,
    callbackSecret,
    callbackTimeoutMs: read.int('IDV_CALLBACK_TIMEOUT_MS', 10_000, 100, 120_000),
    policyFile: read.string('IDV_POLICY'),
    encryptionKey,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info',
    worker: {
      pollIntervalMs: read.int('IDV_WORKER_POLL_MS', 200, 5, 60_000),
      leaseMs: read.int('IDV_WORKER_LEASE_MS', 30_000, 100, 3_600_000),
      batchSize: read.int('IDV_WORKER_BATCH', 100, 1, 10_000),
      maxEventAttempts: read.int('IDV_EVENT_MAX_ATTEMPTS', 8, 1, 100),
      eventRetentionDays: read.int('IDV_EVENT_RETENTION_DAYS', 30, 0, 3650),
    },
    dispatcher: {
      pollIntervalMs: read.int('IDV_DISPATCH_POLL_MS', 500, 5, 60_000),
      retryScheduleMs: read.intList('IDV_RETRY_SCHEDULE_MS') ?? DEFAULT_RETRY_SCHEDULE_MS,
    },
  };

  if (problems.length > 0) {
    throw new IdvError('config_invalid', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return deepFreeze(config);
}

// ---- The HTTP edge: bearer tokens and server limits ----

/** Long enough that guessing is hopeless even without the failure limit: 32 characters, e.g. 16 random bytes in hex. */
const MIN_TOKEN_LENGTH = 32;

function readTokens(read: Reader, problems: string[]): Pick<Config, 'adminToken' | 'apiToken'> {
  const apiToken = read.string('IDV_API_TOKEN');
  const adminToken = read.string('IDV_ADMIN_TOKEN');
  for (const [name, token] of [
    ['IDV_API_TOKEN', apiToken],
    ['IDV_ADMIN_TOKEN', adminToken],
  ] as const) {
    // The length is reported, never the value: it is a credential.
    if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
      problems.push(
        `${name}: must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}; generate one with \`openssl rand -hex 32\``,
      );
    }
  }
  if (apiToken !== undefined && apiToken === adminToken) {
    problems.push('IDV_API_TOKEN, IDV_ADMIN_TOKEN: must differ, or the application could use the admin API');
  }
  return { apiToken, adminToken };
}

/** proxy-addr's names for the usual private ranges, spelled out so the connection cap can match them too. */
const NAMED_RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

function readHttpLimits(read: Reader, problems: string[]): Config['http'] {
  const headersTimeoutMs = read.int('IDV_HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = read.int('IDV_HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a headers timeout longer than the request timeout, and it would mean nothing.
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(
      `IDV_HTTP_HEADERS_TIMEOUT_MS: must not exceed IDV_HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.int('IDV_HTTP_KEEPALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnectionsPerIp: read.int('IDV_MAX_CONNECTIONS_PER_IP', 256, 0, 1_000_000),
    trustProxy: readTrustProxy(read, problems),
  };
}

function readTrustProxy(read: Reader, problems: string[]): TrustProxy {
  const value = read.string('IDV_TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Math.min(Number(value), 100);
  const ranges: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const named = NAMED_RANGES[entry];
    if (named) ranges.push(...named);
    else if (isAddressOrRange(entry)) ranges.push(entry);
    else {
      problems.push(
        `IDV_TRUST_PROXY: expected true, false, a number of hops, or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal; got "${entry.slice(0, 45)}"`,
      );
    }
  }
  return ranges;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function resolveMode(
  read: Reader,
  stripeSecretKey: string | undefined,
  problems: string[],
): { acceptedMode: AcceptedMode; acceptedModeSource: Config['acceptedModeSource'] } {
  const explicit = read.string('IDV_LIVEMODE');
  if (explicit !== undefined) {
    if (explicit !== 'true' && explicit !== 'false')
      problems.push(`IDV_LIVEMODE: expected true or false, got "${explicit}"`);
    return { acceptedMode: explicit === 'true' ? 'live' : 'test', acceptedModeSource: 'IDV_LIVEMODE' };
  }
  if (stripeSecretKey !== undefined) {
    return {
      acceptedMode: /_live_/.test(stripeSecretKey) ? 'live' : 'test',
      acceptedModeSource: 'STRIPE_SECRET_KEY',
    };
  }
  return { acceptedMode: 'any', acceptedModeSource: 'default' };
}

class Reader {
  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly problems: string[],
  ) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  list(name: string): string[] {
    const value = this.string(name);
    return value === undefined
      ? []
      : value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name}: expected a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  oneOf(name: string, allowed: readonly string[]): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !allowed.includes(value)) {
      this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got "${value.slice(0, 20)}"`);
      return undefined;
    }
    return value;
  }

  intList(name: string): number[] | undefined {
    const parts = this.list(name);
    if (parts.length === 0) return undefined;
    if (parts.some((part) => !/^\d+$/.test(part))) {
      this.problems.push(`${name}: expected comma-separated milliseconds, e.g. 10000,60000,300000`);
      return undefined;
    }
    return parts.map(Number);
  }

  url(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      new URL(value);
      return value;
    } catch {
      // The value is not echoed: URLs such as SMTP_URL carry passwords.
      this.problems.push(
        `${name}: expected an absolute URL such as https://host/path or smtp://user:pass@host:587`,
      );
      return undefined;
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
