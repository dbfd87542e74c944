/**
 * POST /webhook: the raw bytes go to receiveWebhook (verify → envelope → inbox → answer). Only this route
 * sees raw bytes: its content-type parsers are scoped to this plugin.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../metrics.js';
import { receiveWebhook, type ReceiveDeps } from '../receive-webhook.js';

export interface WebhookDeps {
  config: Pick<Config, 'webhookSecrets' | 'webhookToleranceSec' | 'maxBodyBytes' | 'acceptedMode'>;
  store: Pick<Store, 'insertEvent'>;
  clock: () => number;
  metrics: Metrics;
  onEventStored?: (() => void) | undefined;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  // Any content type (and none): Stripe sends JSON, but the signature, not the header, decides what is valid.
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.config.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  const receive: ReceiveDeps = {
    store: deps.store,
    secrets: deps.config.webhookSecrets,
    toleranceSec: deps.config.webhookToleranceSec,
    acceptedMode: deps.config.acceptedMode,
    clock: deps.clock,
    logger: app.log as ReceiveDeps['logger'],
    onEventStored: deps.onEventStored,
    onOutcome: (outcome, reason) =>
      deps.metrics.inc('idv_webhook_answers_total', { outcome, reason: reason ?? '' }),
  };

  app.post('/webhook', { bodyLimit: deps.config.maxBodyBytes }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer = await receiveWebhook(raw, request.headers['stripe-signature'], receive);
    return reply.code(answer.status).send(answer.body);
  });
}
