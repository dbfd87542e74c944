/**
 * Sends finished spans to an OpenTelemetry collector over OTLP/HTTP with the JSON encoding, in batches, off
 * the request path. A collector that is down costs spans, never requests: the queue is bounded, a failed
 * export is dropped and logged at most once a minute, and nothing here throws into the caller.
 */
import type { Logger } from 'pino';
import type { FinishedSpan, SpanKind, SpanSink } from './tracer.js';

export interface OtlpSettings {
  /** The full traces URL, e.g. http://collector:4318/v1/traces. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
}

const MAX_BATCH = 512;
const MAX_QUEUE = 4096;
const FLUSH_EVERY_MS = 1_000;
const WARN_EVERY_MS = 60_000;
const EXPORT_TIMEOUT_MS = 10_000;

/** OTLP's SpanKind numbers (trace.proto). */
const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3 };

export class OtlpExporter implements SpanSink {
  private queue: FinishedSpan[] = [];
  private dropped = 0;
  private lastWarnAt = -Infinity;
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly settings: OtlpSettings,
    private readonly logger: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  add(span: FinishedSpan): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped += 1;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= MAX_BATCH) void this.flush();
  }

  /** Sends what is queued; resolves when every batch so far has been sent or dropped. */
  flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.sending = this.sending.then(() => this.send(batch));
    }
    return this.sending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(batch: readonly FinishedSpan[]): Promise<void> {
    try {
      const res = await this.fetchImpl(this.settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.settings.headers },
        body: JSON.stringify(otlpBody(batch, this.settings.serviceName)),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.warn(`HTTP ${res.status}`, batch.length);
    } catch (err) {
      this.warn((err as Error).message, batch.length);
    }
  }

  private warn(reason: string, lost: number): void {
    this.dropped += lost;
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn({ reason, dropped_spans: this.dropped }, 'trace export failed; spans dropped');
  }
}

const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

function attribute(key: string, value: string | number | boolean) {
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number' && Number.isInteger(value))
    return { key, value: { intValue: String(value) } };
  if (typeof value === 'number') return { key, value: { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

/** ExportTraceServiceRequest in OTLP's JSON mapping (ids as hex, times as decimal strings of nanoseconds). */
export function otlpBody(spans: readonly FinishedSpan[], serviceName: string) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', serviceName)] },
        scopeSpans: [
          {
            scope: { name: 'idv-outcomes' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(Math.max(s.endMs, s.startMs)),
              attributes: Object.entries(s.attributes).map(([k, v]) => attribute(k, v)),
              status: s.error ? { code: 2 } : { code: 0 },
            })),
          },
        ],
      },
    ],
  };
}
