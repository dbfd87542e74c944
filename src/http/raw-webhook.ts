/**
 * POST /webhook served straight from node:http, in front of Fastify's router. The receiver is the one
 * route on the hot path, and Fastify's per-request machinery (content-type parsing, a child logger with
 * redaction, hooks, reply serialisation) cost about a tenth of its time for nothing it needs: the route
 * wants raw bytes in and a fixed JSON answer out. Every other route goes through Fastify as usual.
 * The contract is receiveWebhook's, so answers are identical to the Fastify route's (library mode).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signatureHeaderProblem } from '../stripe/signature.js';
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
    const answer = (raw: Buffer, headers: Record<string, string>) =>
      receiveWebhook(raw, req.headers['stripe-signature'], receive).then(
        (result) => res.writeHead(result.status, headers).end(JSON.stringify(result.body)),
        (err: unknown) => {
          receive.logger.error({ err: { message: (err as Error).message } }, 'webhook failed');
          res
            .writeHead(500, headers)
            .end(JSON.stringify({ error: { code: 'internal', message: 'Internal error.' } }));
        },
      );
    if (signatureHeaderProblem(req.headers['stripe-signature'])) {
      // No body can make this header pass: answer (and log) without reading it, and close the
      // connection so the rest of the body is never read either.
      void answer(Buffer.alloc(0), { ...JSON_HEADERS, connection: 'close' });
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
      void answer(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), JSON_HEADERS);
    });
  };
}
