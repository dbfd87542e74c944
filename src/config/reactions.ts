/** How reactions go out: email (SMTP), signed callbacks to the app, and the dispatcher's retry schedule. */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface ReactionSettings {
  readonly smtpUrl: string | undefined;
  readonly emailFrom: string;
  readonly templatesDir: string | undefined;
  /** The app's page where a user starts a new attempt; linked from retry emails. `{ref}` is replaced. */
  readonly retryUrl: string | undefined;
  readonly callbackUrl: string | undefined;
  readonly callbackSecret: string | undefined;
  readonly callbackTimeoutMs: number;
}

export interface DispatcherSettings {
  readonly pollIntervalMs: number;
  /** Delays in ms between tries; a reaction is dead after the last one. */
  readonly retryScheduleMs: readonly number[];
}

/** Default retry schedule for reactions: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h up to 3 days. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 43_200_000, 43_200_000, 43_200_000,
  43_200_000,
];

export const REACTION_VARIABLES: readonly EnvSpec[] = [
  { name: 'SMTP_URL', description: 'outgoing email, smtp://user:pass@host:587; unset: emails are skipped' },
  { name: 'IDV_EMAIL_FROM', description: 'the From of every email' },
  { name: 'IDV_TEMPLATES_DIR', description: 'folder of email templates overriding the built-in ones' },
  {
    name: 'IDV_RETRY_URL',
    description: 'your page for a new attempt, linked from retry emails; {ref} is replaced',
  },
  { name: 'IDV_CALLBACK_URL', description: 'signed callbacks to your app' },
  {
    name: 'IDV_CALLBACK_SECRET',
    description: 'the callbacks’ signing secret (required with IDV_CALLBACK_URL)',
  },
  { name: 'IDV_CALLBACK_TIMEOUT_MS', description: 'how long a callback may take before it counts as failed' },
];

export const DISPATCHER_VARIABLES: readonly EnvSpec[] = [
  { name: 'IDV_DISPATCH_POLL_MS', description: 'how often the dispatcher looks for work without a wake-up' },
  {
    name: 'IDV_RETRY_SCHEDULE_MS',
    description: 'delays between tries of an email or callback; dead after the last',
  },
];

export function readReactions(read: Reader): ReactionSettings {
  const callbackUrl = read.url('IDV_CALLBACK_URL');
  const callbackSecret = read.string('IDV_CALLBACK_SECRET');
  if (callbackUrl && !callbackSecret)
    read.problem(
      'IDV_CALLBACK_SECRET',
      `required when ${read.label('IDV_CALLBACK_URL')} is set (callbacks are always signed)`,
    );
  return {
    smtpUrl: read.url('SMTP_URL'),
    emailFrom: read.string('IDV_EMAIL_FROM', 'idv-outcomes <no-reply@localhost>')!,
    templatesDir: read.string('IDV_TEMPLATES_DIR'),
    retryUrl: read.url('IDV_RETRY_URL'),
    callbackUrl,
    callbackSecret,
    callbackTimeoutMs: read.int('IDV_CALLBACK_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}

export function readDispatcher(read: Reader): DispatcherSettings {
  return {
    pollIntervalMs: read.int('IDV_DISPATCH_POLL_MS', 500, 5, 3_600_000),
    retryScheduleMs: read.intList('IDV_RETRY_SCHEDULE_MS', DEFAULT_RETRY_SCHEDULE_MS),
  };
}
