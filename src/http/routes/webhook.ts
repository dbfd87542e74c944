/**
 * POST /webhook: raw bytes → signature → envelope → inbox → 2xx. No business logic runs here (DESIGN.md
 * "Processes and flow"); the answer waits only for the row to be durable. Only this route sees raw bytes:
 * its content-type parsers are scoped to this plugin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { IdvError } from '../../errors.js';
import { classifyEvent, parseEnvelope } from '../../stripe/envelope.js';
import { SignatureError, verifyStripeSignature } from '../../stripe/signature.js';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../metrics.js';

export interface WebhookDeps {
  config: Pick<Config, 'webhookSecrets' | 'webhookToleranceSec' | 'maxBodyBytes' | 'acceptedMode'>;
  store: Pick<Store, 'insertEvent'>;
  clock: () => number;
  metrics: Metrics;
  onEventStored?: (() => void) | undefined;
}

const RECEIVED = JSON.stringify({ received: true });

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  // Any content type (and none): Stripe sends JSON, but the signature, not the header, decides what is valid.
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.config.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/webhook',
    { bodyLimit: deps.config.maxBodyBytes },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const now = deps.clock();
      try {
        verifyStripeSignature({
          rawBody: raw,
          header: request.headers['stripe-signature'],
          secrets: deps.config.webhookSecrets,
          toleranceSec: deps.config.webhookToleranceSec,
          nowSec: Math.floor(now / 1000),
        });
      } catch (err) {
        if (!(err instanceof SignatureError)) throw err;
        deps.metrics.inc('idv_webhook_rejected_total', { reason: err.reason });
        request.log.warn({ reason: err.reason, bytes: raw.length }, 'webhook rejected');
        return reply
          .code(400)
          .send({ error: { code: 'signature_invalid', message: 'Invalid Stripe-Signature.' } });
      }

      let envelope;
      try {
        envelope = parseEnvelope(raw);
      } catch (err) {
        if (err instanceof IdvError) {
          deps.metrics.inc('idv_webhook_rejected_total', { reason: err.code });
          request.log.warn({ reason: err.code, bytes: raw.length }, 'webhook rejected');
        }
        throw err;
      }

      const { status, ignoredReason } = classifyEvent(envelope, deps.config.acceptedMode);
      let inserted: boolean;
      try {
        ({ inserted } = await deps.store.insertEvent({
          id: envelope.id,
          type: envelope.type,
          livemode: envelope.livemode,
          created: envelope.created,
          objectId: envelope.objectId,
          status,
          ignoredReason,
          payload: raw.toString('utf8'),
          receivedAt: now,
        }));
      } catch (err) {
        deps.metrics.inc('idv_webhook_store_failures_total');
        request.log.error(
          { err: { message: (err as Error).message }, event_id: envelope.id },
          'webhook not stored; answering 503',
        );
        throw new IdvError('store_unavailable', 'The event could not be stored; Stripe will retry.');
      }
      if (inserted && status === 'pending') deps.onEventStored?.();
      deps.metrics.inc('idv_webhook_received_total', {
        status: inserted ? status : 'duplicate',
        reason: ignoredReason ?? '',
      });
      return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(RECEIVED);
    },
  );
}
