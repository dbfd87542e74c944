/**
 * Traces of one Stripe event through idv: received (the receiver), applied (the worker), and each reaction it
 * planned sent (the dispatcher). The three may run in different processes or threads and share nothing but
 * the event id, so the trace id and the root span id are derived from it: every part lands in the same trace
 * without carrying a context through the database. Span attributes are ids, types and outcomes only, never
 * personal data.
 */
import { createHash, randomBytes } from 'node:crypto';

export type SpanKind = 'server' | 'internal' | 'client';

export interface FinishedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly error: boolean;
}

/** Where finished spans go (the OTLP exporter, or a test's list). */
export interface SpanSink {
  add(span: FinishedSpan): void;
}

function digest(eventId: string, purpose: string, bytes: number): string {
  return createHash('sha256')
    .update(`${purpose}\0${eventId}`)
    .digest('hex')
    .slice(0, bytes * 2);
}

/** The trace of a Stripe event: 16 bytes, the same in every process. */
export const traceIdOf = (eventId: string) => digest(eventId, 'trace', 16);
/** The receipt span of an event, parent of the rest of its trace. */
export const receiptSpanIdOf = (eventId: string) => digest(eventId, 'receipt', 8);

export interface EventTracer {
  /** The receiver stored (or found again) an event. */
  received(e: { eventId: string; type: string; startMs: number; endMs: number; outcome: string }): void;
  /** The worker applied an event (or failed to). */
  applied(e: { eventId: string; type: string; startMs: number; endMs: number; outcome: string }): void;
  /** The dispatcher ran a reaction an event planned. */
  dispatched(e: {
    eventId: string;
    kind: string;
    topic: string;
    attempt: number;
    startMs: number;
    endMs: number;
    outcome: string;
  }): void;
}

export function eventTracer(sink: SpanSink): EventTracer {
  const span = (
    eventId: string,
    name: string,
    kind: SpanKind,
    startMs: number,
    endMs: number,
    attributes: FinishedSpan['attributes'],
    error: boolean,
    root = false,
  ) =>
    sink.add({
      traceId: traceIdOf(eventId),
      spanId: root ? receiptSpanIdOf(eventId) : randomBytes(8).toString('hex'),
      parentSpanId: root ? undefined : receiptSpanIdOf(eventId),
      name,
      kind,
      startMs,
      endMs,
      attributes: { 'idv.event.id': eventId, ...attributes },
      error,
    });
  return {
    received: (e) =>
      span(
        e.eventId,
        'idv.webhook.receive',
        'server',
        e.startMs,
        e.endMs,
        { 'idv.event.type': e.type, 'idv.outcome': e.outcome },
        e.outcome === 'store_failed',
        // A repeat delivery is its own span in the same trace; only the first is the root.
        e.outcome !== 'duplicate',
      ),
    applied: (e) =>
      span(
        e.eventId,
        'idv.event.apply',
        'internal',
        e.startMs,
        e.endMs,
        { 'idv.event.type': e.type, 'idv.outcome': e.outcome },
        e.outcome !== 'applied',
      ),
    dispatched: (e) =>
      span(
        e.eventId,
        `idv.reaction.${e.kind}`,
        'client',
        e.startMs,
        e.endMs,
        {
          'idv.reaction.kind': e.kind,
          'idv.reaction.topic': e.topic,
          'idv.reaction.attempt': e.attempt,
          'idv.outcome': e.outcome,
        },
        e.outcome === 'retry' || e.outcome === 'dead',
      ),
  };
}
