/**
 * POST /webhook served straight from node:http, in front of Fastify's router. The receiver is the one
 * route on the hot path, and Fastify's per-request machinery (content-type parsing, a child logger with
 * redaction, hooks, reply serialisation) cost about a tenth of its time for nothing it needs: the route
 * wants raw bytes in and a fixed JSON answer out. Every other route goes through Fastify as usual.
 * The contract is receiveWebhook's, so answers are identical to the Fastify route's (library mode).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { receiveWebhook, type ReceiveDeps } from './receive-webhook.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function rawWebhookHandler(receive: ReceiveDeps, maxBodyBytes: number, isClosing: () => boolean) {
  const tooLarge = JSON.stringify({
    error: { code: 'body_too_large', message: 'The body is larger than the limit.' },
  });
  const closing = JSON.stringify({
    error: { code: 'store_unavailable', message: 'The server is shutting down.' },
  });

  return (req: IncomingMessage, res: ServerResponse): void => {
    if (isClosing()) {
      res.writeHead(503, { ...JSON_HEADERS, connection: 'close' }).end(closing);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      res.writeHead(413, { ...JSON_HEADERS, connection: 'close' }).end(tooLarge);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        aborted = true;
        res.writeHead(413, { ...JSON_HEADERS, connection: 'close' }).end(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (aborted) return;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      receiveWebhook(raw, req.headers['stripe-signature'], receive).then(
        (answer) => res.writeHead(answer.status, JSON_HEADERS).end(JSON.stringify(answer.body)),
        (err: unknown) => {
          receive.logger.error({ err: { message: (err as Error).message } }, 'webhook failed');
          res
            .writeHead(500, JSON_HEADERS)
            .end(JSON.stringify({ error: { code: 'internal', message: 'Internal error.' } }));
        },
      );
    });
  };
}
