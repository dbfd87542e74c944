/**
 * A loop thread's entry: the worker or the dispatcher of `idv serve --role all`, composed from the same config
 * with its own database connection, so applying events and sending reactions use another core than the
 * receiver. Its counters are forwarded to the main thread's /metrics; its wake-ups come from the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Metrics } from '../http/metrics.js';
import { composeSystem } from './compose.js';
import { createLogger } from './logger.js';
import type { FromLoop, LoopThreadData, MetricLine, ToLoop } from './loop-thread-protocol.js';

/** Counts a batch of increments and hands them over at most every FLUSH_MS (one message per event is waste). */
const FLUSH_MS = 200;

class ForwardedMetrics extends Metrics {
  private lines: MetricLine[] = [];

  constructor(private readonly send: (message: FromLoop) => void) {
    super();
    setInterval(() => this.flush(), FLUSH_MS).unref();
  }

  override inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    this.lines.push(['inc', name, labels, by]);
  }

  override observe(name: string, labels: Record<string, string>, seconds: number): void {
    this.lines.push(['observe', name, labels, seconds]);
  }

  flush(): void {
    if (this.lines.length === 0) return;
    this.send({ type: 'counts', lines: this.lines });
    this.lines = [];
  }
}

async function run(port: NonNullable<typeof parentPort>, data: LoopThreadData): Promise<void> {
  const send = (message: FromLoop) => port.postMessage(message);
  const logger = createLogger(data.config.logLevel).child({ thread: data.role });
  const metrics = new ForwardedMetrics(send);
  let processedPending = false;
  const system = await composeSystem(
    // A loop holds one or two connections at a time; half the pool each keeps a process within what one
    // IDV_PG_POOL_SIZE promised the database, plus a half.
    { ...data.config, role: data.role, pgPoolSize: Math.max(2, Math.ceil(data.config.pgPoolSize / 2)) },
    {
      logger,
      metrics,
      // Coalesced: one message per turn of the event loop, however many events the batch applied.
      onProcessed: () => {
        if (processedPending) return;
        processedPending = true;
        setImmediate(() => {
          processedPending = false;
          send({ type: 'processed' });
        });
      },
    },
  );
  const loop = data.role === 'worker' ? system.worker : system.dispatcher;
  let stopping: Promise<void> | undefined;
  port.on('message', (message: ToLoop) => {
    if (message.type === 'nudge') loop?.nudge();
    else if (message.type === 'wake') loop?.wake();
    else
      stopping ??= system.close().finally(() => {
        metrics.flush();
        send({ type: 'stopped' });
        port.close();
      });
  });
  system.start();
  send({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  run(port, workerData as LoopThreadData).catch((err: unknown) => {
    port.postMessage({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
    } satisfies FromLoop);
    port.close();
  });
}
