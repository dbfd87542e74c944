/**
 * OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT): one trace per Stripe event from its receipt through its
 * application to the reactions it planned, sent as OTLP/HTTP JSON to a collector (here an in-process HTTP
 * server that keeps what it is sent). Spans carry ids and outcomes, never personal data; a collector that is
 * down costs spans, never webhook answers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { receiptSpanIdOf, traceIdOf } from '../../src/telemetry/tracer.js';
import { startTestService, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { startCallbackReceiver, type CallbackReceiver } from '../reactions/helpers.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code: number };
}

async function startCollector() {
  const bodies: string[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        bodies.push(raw);
        headers.push(req.headers);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spans = (): OtlpSpan[] =>
    bodies.flatMap((b) => {
      const parsed = JSON.parse(b) as {
        resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      return parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    headers,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

let service: TestService | undefined;
let app: CallbackReceiver | undefined;
afterEach(async () => {
  await service?.stop();
  await app?.close();
  service = undefined;
  app = undefined;
});

describe('OpenTelemetry traces', () => {
  it('puts the receipt, the application and every reaction of one event in one trace', async () => {
    const collector = await startCollector();
    app = await startCallbackReceiver('cb_secret_for_tracing_0123456789');
    service = await startTestService({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
      OTEL_SERVICE_NAME: 'idv-under-test',
      IDV_CALLBACK_URL: app.url,
      IDV_CALLBACK_SECRET: 'cb_secret_for_tracing_0123456789',
    });
    const email = 'tracing.person@example.com';
    const verified = sessionEvent({
      type: 'identity.verification_session.verified',
      sessionId: uniqueId('vs'),
      subject: 'trace_user',
      email,
    });
    const eventId = verified.id as string;
    expect((await postSigned(service.url, verified, WEBHOOK_SECRET)).status).toBe(200);
    // Stripe delivers at least once: the repeat is a span of the same trace, not a second root.
    expect((await postSigned(service.url, verified, WEBHOOK_SECRET)).status).toBe(200);
    await waitFor(() => (app!.received.length > 0 ? true : undefined), 10_000, 'the callback');
    await service.stop(); // flushes the spans still queued
    service = undefined;
    await collector.close();

    const trace = collector.spans().filter((s) => s.traceId === traceIdOf(eventId));
    const names = trace.map((s) => s.name).sort();
    expect(names).toEqual([
      'idv.event.apply',
      'idv.reaction.callback',
      'idv.reaction.email',
      'idv.webhook.receive',
      'idv.webhook.receive',
    ]);
    const roots = trace.filter((s) => s.parentSpanId === undefined);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({
      name: 'idv.webhook.receive',
      spanId: receiptSpanIdOf(eventId),
      kind: 2,
    });
    for (const span of trace.filter((s) => s !== roots[0])) {
      expect(span.parentSpanId).toBe(receiptSpanIdOf(eventId));
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(span.startTimeUnixNano));
    }
    const callback = trace.find((s) => s.name === 'idv.reaction.callback')!;
    expect(attr(callback, 'idv.outcome')).toEqual({ stringValue: 'done' });
    expect(attr(callback, 'idv.reaction.topic')).toEqual({ stringValue: 'verification.verified' });
    const repeat = trace.find((s) => s.name === 'idv.webhook.receive' && s.parentSpanId !== undefined)!;
    expect(attr(repeat, 'idv.outcome')).toEqual({ stringValue: 'duplicate' });

    expect(collector.headers[0]?.authorization).toBe('Bearer collector-token');
    expect(collector.bodies[0]).toContain('"idv-under-test"');
    // No personal data leaves with the spans.
    for (const body of collector.bodies) expect(body).not.toContain(email);
  });

  it('answers Stripe as usual when the collector is down, and says once that spans were dropped', async () => {
    const gone = await startCollector();
    await gone.close(); // nothing listens on its port any more
    service = await startTestService({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${gone.url}/v1/traces` });
    for (let i = 0; i < 3; i++) {
      const event = sessionEvent({
        type: 'identity.verification_session.created',
        sessionId: uniqueId('vs'),
      });
      expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    }
    const logs = service.logs;
    await service.stop();
    service = undefined;
    const warnings = logs.filter((l) => l.msg === 'trace export failed; spans dropped');
    expect(warnings).toHaveLength(1);
  });

  it('refuses headers it cannot read, naming the variable', async () => {
    await expect(startTestService({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).rejects.toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS/,
    );
  });
});
