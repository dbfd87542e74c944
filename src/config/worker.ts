/** The event worker's tuning, the policy file it applies, and the log level of any process. */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface WorkerSettings {
  readonly pollIntervalMs: number;
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly maxEventAttempts: number;
}

/** auto: on when the process runs every role and more than one core is available to it. */
export const LOOP_THREAD_MODES = ['auto', 'on', 'off'] as const;
export type LoopThreadMode = (typeof LOOP_THREAD_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const WORKER_VARIABLES: readonly EnvSpec[] = [
  { name: 'IDV_WORKER_POLL_MS', description: 'how often the worker looks for events without a wake-up' },
  {
    name: 'IDV_WORKER_LEASE_MS',
    description: 'how long a claimed event is held before another worker may take it',
  },
  { name: 'IDV_WORKER_BATCH', description: 'events claimed at once' },
  { name: 'IDV_EVENT_MAX_ATTEMPTS', description: 'tries of an event before it is dead' },
];

export const LOOP_THREADS_VARIABLE: EnvSpec = {
  name: 'IDV_LOOP_THREADS',
  description:
    'worker and dispatcher of --role all on worker threads with their own database connections: auto (when more than one core is available), on, off',
  default: 'auto',
};

export const POLICY_VARIABLE: EnvSpec = {
  name: 'IDV_POLICY',
  description: 'policy file (JSON or YAML)',
  default: 'built-in',
};

export const LOG_LEVEL_VARIABLE: EnvSpec = {
  name: 'LOG_LEVEL',
  description: `pino log level: ${LOG_LEVELS.join(', ')}`,
};

export function readWorker(read: Reader): WorkerSettings {
  return {
    pollIntervalMs: read.int('IDV_WORKER_POLL_MS', 200, 5, 3_600_000),
    leaseMs: read.int('IDV_WORKER_LEASE_MS', 30_000, 100, 3_600_000),
    batchSize: read.int('IDV_WORKER_BATCH', 500, 1, 10_000),
    maxEventAttempts: read.int('IDV_EVENT_MAX_ATTEMPTS', 8, 1, 100),
  };
}

export function readLoopThreads(read: Reader): LoopThreadMode {
  return read.oneOf('IDV_LOOP_THREADS', LOOP_THREAD_MODES, 'auto');
}

export function readPolicyFile(read: Reader): string | undefined {
  return read.string(POLICY_VARIABLE.name);
}

export function readLogLevel(read: Reader, fallback: LogLevel = 'info'): LogLevel {
  return read.oneOf(LOG_LEVEL_VARIABLE.name, LOG_LEVELS, fallback);
}
