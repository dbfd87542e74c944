/**
 * POST /webhook as Express middleware — written against node:http types only, so idv does not need
 * express at run time and works with any connect-style app. It needs the raw bytes (the signature is over
 * them, reference §5): it reads the body itself, like `express.raw()` on this one route, or uses a Buffer
 * an `express.raw()` in front of it left in `req.body`. A body another parser already consumed cannot be
 * verified; that is a mounting mistake, answered 500 with a message saying so.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer } from '../errors.js';
import { receiveWebhook, type ReceiveDeps } from '../http/receive-webhook.js';

export type NodeMiddleware = (
  req: IncomingMessage & { body?: unknown; path?: string },
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

export function createExpressRouter(deps: ReceiveDeps, maxBodyBytes: number): NodeMiddleware {
  return (req, res, next) => {
    const path = req.path ?? new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== '/webhook') return next();
    void handle(req, res, deps, maxBodyBytes).catch(next);
  };
}

async function handle(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  deps: ReceiveDeps,
  maxBodyBytes: number,
): Promise<void> {
  let raw: Buffer;
  if (Buffer.isBuffer(req.body)) {
    raw = req.body;
  } else if (req.body !== undefined && req.readableEnded) {
    deps.logger.error(
      'webhook body was parsed before idv saw it: mount expressRouter() before express.json()',
    );
    return send(res, errorAnswer('internal', 'The raw body is gone: mount idv before any body parser.'));
  } else {
    const read = await readRaw(req, maxBodyBytes);
    if (read === 'too_large') {
      return send(res, errorAnswer('body_too_large', 'The body is larger than the limit.'));
    }
    raw = read;
  }
  const answer = await receiveWebhook(raw, req.headers['stripe-signature'], deps);
  send(res, answer);
}

function readRaw(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, { status, body }: { status: number; body: unknown }): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
