/**
 * POST /webhook: the raw bytes go to receiveWebhook (verify → envelope → inbox → answer). Only this route
 * sees raw bytes: its content-type parsers are scoped to this plugin, so an application that registers it
 * (library mode) keeps its own JSON parser on every other route.
 */
import type { FastifyInstance } from 'fastify';
import { receiveWebhook, type ReceiveDeps } from '../receive-webhook.js';

export function webhookPlugin(receive: ReceiveDeps, maxBodyBytes: number) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    // Any content type (and none): Stripe sends JSON, but the signature, not the header, decides what is valid.
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) =>
      done(null, body),
    );
    app.post('/webhook', { bodyLimit: maxBodyBytes }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await receiveWebhook(raw, request.headers['stripe-signature'], receive);
      return reply.code(answer.status).send(answer.body);
    });
  };
}
