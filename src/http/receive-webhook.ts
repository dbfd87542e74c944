/**
 * The webhook receiver without a web framework: raw bytes and the `Stripe-Signature` header in, an HTTP
 * status and body out. The service's POST /webhook and library mode's Fastify plugin and Express router all
 * call it, so the contract of DESIGN.md "Errors at the edge" lives in one place: verify on the raw bytes,
 * store, answer 2xx only once the event is durable; 400 for a bad signature or a body that is not an event,
 * 503 when the store cannot commit. No business logic runs here.
 */
import type { AcceptedMode } from '../config/config.js';
import { IdvError, errorAnswer, type ErrorBody } from '../errors.js';
import { classifyEvent, parseEnvelope } from '../stripe/envelope.js';
import { SignatureError, verifyStripeSignature } from '../stripe/signature.js';
import type { Inbox } from '../store/store.js';
import type { EventTracer } from '../telemetry/tracer.js';
import type { Logger } from 'pino';

export interface ReceiveDeps {
  store: Inbox;
  secrets: readonly string[];
  toleranceSec: number;
  acceptedMode: AcceptedMode;
  clock: () => number;
  logger: Logger;
  onEventStored?: (() => void) | undefined;
  /** Counts each answer by outcome, with the seconds it took from the body in hand (metrics). */
  onOutcome?: ((outcome: string, reason: string | undefined, seconds: number) => void) | undefined;
  /** Records the receipt span of each stored event (OpenTelemetry); undefined when tracing is off. */
  tracer?: EventTracer | undefined;
}

export interface WebhookAnswer {
  status: number;
  body: { received: true } | ErrorBody;
}

export async function receiveWebhook(
  raw: Buffer,
  signature: string | string[] | undefined,
  deps: ReceiveDeps,
): Promise<WebhookAnswer> {
  const now = deps.clock();
  const startedAt = performance.now();
  /** Counts the answer, and once the envelope is known, records the event's receipt span. */
  const outcome = (name: string, reason?: string, event?: { id: string; type: string }) => {
    deps.onOutcome?.(name, reason, (performance.now() - startedAt) / 1000);
    if (event && deps.tracer) {
      deps.tracer.received({
        eventId: event.id,
        type: event.type,
        startMs: now,
        endMs: deps.clock(),
        outcome: name,
      });
    }
  };
  try {
    verifyStripeSignature({
      rawBody: raw,
      header: signature,
      secrets: deps.secrets,
      toleranceSec: deps.toleranceSec,
      nowSec: Math.floor(now / 1000),
    });
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    deps.logger.warn({ reason: err.reason, bytes: raw.length }, 'webhook rejected');
    outcome('rejected', err.reason);
    return errorAnswer('signature_invalid', 'Invalid Stripe-Signature.');
  }
  let envelope;
  try {
    envelope = parseEnvelope(raw);
  } catch (err) {
    if (!(err instanceof IdvError)) throw err;
    deps.logger.warn({ reason: err.code, bytes: raw.length }, 'webhook rejected');
    outcome('rejected', err.code);
    return errorAnswer(err);
  }
  const { status, ignoredReason } = classifyEvent(envelope, deps.acceptedMode);
  try {
    // Field by field, not a spread of the envelope: this object is built for every request.
    const { inserted } = await deps.store.insertEvent({
      id: envelope.id,
      type: envelope.type,
      created: envelope.created,
      livemode: envelope.livemode,
      objectId: envelope.objectId,
      payload: envelope.payload,
      status,
      ignoredReason,
      receivedAt: now,
    });
    if (inserted && status === 'pending') deps.onEventStored?.();
    // The reason's code only (`invalid_payload`, not its detail): metric labels must stay few.
    outcome(inserted ? status : 'duplicate', ignoredReason?.split(':', 1)[0], envelope);
  } catch (err) {
    outcome('store_failed', undefined, envelope);
    deps.logger.error(
      { err: { message: (err as Error).message }, event_id: envelope.id },
      'webhook not stored; answering 503',
    );
    return errorAnswer('store_unavailable', 'The event could not be stored; Stripe will retry.');
  }
  return { status: 200, body: { received: true } };
}
