/** The messages between `idv serve`'s main thread and its loop threads (loop-threads.ts, loop-thread.ts). */
import type { Config } from '../config/config.js';

/** What runs on a loop thread: one of the roles a process can take. */
export type LoopRole = 'worker' | 'dispatcher';

export interface LoopThreadData {
  readonly config: Config;
  readonly role: LoopRole;
}

/** Main thread → loop thread. */
export type ToLoop =
  /** New pending events are durable (worker) or new reactions were written (dispatcher). */
  | { readonly type: 'nudge' }
  /** Reactions were written outside the worker: look now, without waiting for company. */
  | { readonly type: 'wake' }
  /** Finish the batch in hand, close the store, exit. */
  | { readonly type: 'stop' };

/** One counter increment or histogram observation, as Metrics.inc and Metrics.observe take them. */
export type MetricLine =
  | readonly ['inc', name: string, labels: Record<string, string>, by: number]
  | readonly ['observe', name: string, labels: Record<string, string>, seconds: number];

/** Loop thread → main thread. */
export type FromLoop =
  | { readonly type: 'ready' }
  /** The worker applied events (the dispatcher's thread is told). */
  | { readonly type: 'processed' }
  | { readonly type: 'counts'; readonly lines: readonly MetricLine[] }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };
