/**
 * Optional OpenTelemetry traces, configured by the standard OTLP variables (OpenTelemetry's SDK environment
 * specification), so a collector set up for other services works for idv unchanged. Only OTLP/HTTP with the
 * JSON encoding is spoken; unset, no span is made.
 */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface TelemetrySettings {
  /** Where spans are POSTed; undefined when tracing is off. */
  readonly tracesUrl: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
}

export const TELEMETRY_VARIABLES: readonly EnvSpec[] = [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    description:
      'OpenTelemetry collector (OTLP/HTTP, JSON); traces go to <endpoint>/v1/traces; unset: no traces',
  },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', description: 'the full traces URL, instead of the above' },
  { name: 'OTEL_EXPORTER_OTLP_HEADERS', description: 'headers of every export: key=value,key2=value2' },
  { name: 'OTEL_SERVICE_NAME', description: 'service.name of the spans', default: 'idv' },
];

export function readTelemetry(read: Reader): TelemetrySettings {
  const traces = read.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = read.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  const tracesUrl = traces ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  return {
    tracesUrl,
    headers: readHeaders(read),
    serviceName: read.string('OTEL_SERVICE_NAME', 'idv')!,
  };
}

/** `k=v,k2=v2`, values percent-decoded (the specification's format); values are never echoed (tokens). */
function readHeaders(read: Reader): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of read.list('OTEL_EXPORTER_OTLP_HEADERS')) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      read.problem('OTEL_EXPORTER_OTLP_HEADERS', 'expected key=value pairs separated by commas');
      continue;
    }
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      read.problem('OTEL_EXPORTER_OTLP_HEADERS', `the value of ${key} is not valid percent-encoding`);
    }
  }
  return headers;
}
