/**
 * `idv serve --role all` on more than one core: the worker and the dispatcher run on worker threads
 * (loop-thread.ts), each with its own database connection, and the main thread keeps HTTP. The main thread
 * relays the wake-ups the loops would have given each other in one thread (stored → worker, processed →
 * dispatcher) and adds their counters to its /metrics. A thread that dies is logged and started again: its
 * leases expire and nothing it held is lost (the same as a crashed `--role worker` process).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Metrics } from '../http/metrics.js';
import type { RemoteLoops } from './compose.js';
import type { FromLoop, LoopRole, LoopThreadData, ToLoop } from './loop-thread-protocol.js';

const ENTRY = new URL('./loop-thread.js', import.meta.url);
const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 30_000;

/** Whether this config runs its loops on threads; `cores` is what the process may use (respects pinning). */
export function usesLoopThreads(config: Config, cores = availableParallelism()): boolean {
  if (config.role !== 'all' || config.loopThreads === 'off') return false;
  // An in-memory SQLite database is private to its connection: a second thread would see another one.
  if (/^sqlite::memory:|^sqlite:$/.test(config.databaseUrl)) return false;
  return config.loopThreads === 'on' || cores > 1;
}

export interface LoopThreads extends RemoteLoops {
  stop(): Promise<void>;
}

/**
 * Starts both threads without waiting for them: the receiver answers at once, and what it stores meanwhile
 * is found by the worker's first round. A thread that cannot start is logged and tried again.
 */
export function startLoopThreads(config: Config, logger: Logger, metrics: Metrics): LoopThreads {
  const threads: Record<LoopRole, LoopThread> = {
    worker: new LoopThread({ config, role: 'worker' }, logger, metrics, () =>
      threads.dispatcher.send('nudge'),
    ),
    dispatcher: new LoopThread({ config, role: 'dispatcher' }, logger, metrics, () => undefined),
  };
  void Promise.all([threads.worker.run(), threads.dispatcher.run()]).then((ready) => {
    if (ready.every(Boolean))
      logger.info({ threads: ['worker', 'dispatcher'] }, 'worker and dispatcher run on their own threads');
  });
  return {
    nudgeWorker: () => threads.worker.send('nudge'),
    wakeDispatcher: () => threads.dispatcher.send('wake'),
    stop: async () => {
      // The worker first: the reactions its last batch planned are still sent by the dispatcher.
      await threads.worker.stop();
      await threads.dispatcher.stop();
    },
  };
}

class LoopThread {
  private worker: Worker | undefined;
  /** Its loop has started: it may hold leases, so it is stopped, not terminated. */
  private running = false;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly data: LoopThreadData,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly onProcessed: () => void,
  ) {}

  /** Starts the thread; true once it runs, false when it failed (logged, and tried again later). */
  async run(): Promise<boolean> {
    try {
      await this.start();
      return true;
    } catch (err) {
      this.restartLater({ err }, 'loop thread did not start; trying again');
      return false;
    }
  }

  /** Resolves once the thread's system is composed and its loop runs; rejects with its start-up error. */
  private start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(ENTRY, { workerData: this.data, name: `idv-${this.data.role}` });
      this.worker = worker;
      let ready = false;
      this.running = false;
      worker.on('message', (message: FromLoop) => {
        if (message.type === 'ready') {
          ready = true;
          this.running = true;
          resolve();
        } else if (message.type === 'processed') this.onProcessed();
        // Its store is closed and its last counts sent: nothing is left to wait for.
        else if (message.type === 'stopped') void worker.terminate();
        else if (message.type === 'counts') {
          for (const [what, name, labels, value] of message.lines) {
            if (what === 'inc') this.metrics.inc(name, labels, value);
            else this.metrics.observe(name, labels, value);
          }
        } else if (message.type === 'failed')
          reject(new Error(`${this.data.role} thread: ${message.message}`));
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        else this.logger.error({ err, thread: this.data.role }, 'loop thread failed');
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        if (!ready)
          reject(new Error(`${this.data.role} thread exited with code ${code} before it was ready`));
        else this.restartLater({ code }, 'loop thread exited; starting it again');
      });
    });
  }

  send(type: ToLoop['type']): void {
    this.worker?.postMessage({ type } satisfies ToLoop);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    if (!this.running) {
      // Still starting: it has claimed nothing yet, so there is nothing to finish.
      await worker.terminate();
      await exited;
      return;
    }
    this.send('stop');
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Logs why, then starts the thread again after a pause (never while stopping). */
  private restartLater(why: Record<string, unknown>, message: string): void {
    if (this.stopping) return;
    this.logger.error({ ...why, thread: this.data.role }, message);
    this.restartTimer = setTimeout(() => void this.run(), RESTART_DELAY_MS);
  }
}
