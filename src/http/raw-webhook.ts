/**
 * POST /webhook served straight from node:http, in front of Fastify's router. The receiver is the one
 * route on the hot path, and Fastify's per-request machinery (content-type parsing, a child logger with
 * redaction, hooks, reply serialisation) cost about a tenth of its time for nothing it needs: the route
 * wants raw bytes in and a fixed JSON answer out. Every other route goes through Fastify as usual.
 * The contract is receiveWebhook's, so answers are identical to the Fastify route's (library mode).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer, type ErrorAnswer } from '../errors.js';
import { signatureHeaderProblem } from '../stripe/signature.js';
import { receiveWebhook, type ReceiveDeps } from './receive-webhook.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
/** The answer nearly every request gets, serialised once. */
const RECEIVED = JSON.stringify({ received: true });

export function rawWebhookHandler(receive: ReceiveDeps, maxBodyBytes: number, isClosing: () => boolean) {
  // The fixed answers are serialised once: they are sent on the hot path.
  const tooLarge = serialised(errorAnswer('body_too_large', 'The body is larger than the limit.'));
  const closing = serialised(errorAnswer('store_unavailable', 'The server is shutting down.'));
  const internal = serialised(errorAnswer('internal', 'Internal error.'));
  const refuse = (res: ServerResponse, answer: { status: number; text: string }) =>
    res.writeHead(answer.status, { ...JSON_HEADERS, connection: 'close' }).end(answer.text);

  return (req: IncomingMessage, res: ServerResponse): void => {
    if (isClosing()) {
      refuse(res, closing);
      return;
    }
    const answer = (raw: Buffer, headers: Record<string, string>) =>
      receiveWebhook(raw, req.headers['stripe-signature'], receive).then(
        (result) =>
          res
            .writeHead(result.status, headers)
            .end(result.status === 200 ? RECEIVED : JSON.stringify(result.body)),
        (err: unknown) => {
          receive.logger.error({ err: { message: (err as Error).message } }, 'webhook failed');
          res.writeHead(internal.status, headers).end(internal.text);
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
      refuse(res, tooLarge);
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
        refuse(res, tooLarge);
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

function serialised(answer: ErrorAnswer): { status: number; text: string } {
  return { status: answer.status, text: JSON.stringify(answer.body) };
}
