/** OpenTelemetry traces when the config names a collector (config/telemetry.ts); nothing at all otherwise. */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { OtlpExporter } from '../telemetry/otlp-exporter.js';
import { eventTracer, type EventTracer } from '../telemetry/tracer.js';

export interface Tracing {
  readonly tracer: EventTracer | undefined;
  /** Sends the spans still queued. */
  close(): Promise<void>;
}

export function startTracing(config: Config, logger: Logger): Tracing {
  const { tracesUrl, headers, serviceName } = config.telemetry;
  if (tracesUrl === undefined) return { tracer: undefined, close: () => Promise.resolve() };
  const exporter = new OtlpExporter({ url: tracesUrl, headers, serviceName }, logger);
  // The origin only: a collector URL may carry a token in its path or query.
  logger.info({ collector: new URL(tracesUrl).origin }, 'OpenTelemetry traces on');
  return { tracer: eventTracer(exporter), close: () => exporter.close() };
}
