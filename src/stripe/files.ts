/**
 * The contents of an identity file (reference §1: document and selfie images, a restricted key, within the
 * 48 hours). Stripe serves them at `files.stripe.com/v1/files/:id/contents`; stripe-node has no call for
 * that, so it is one authenticated GET. `STRIPE_API_BASE` replaces the files host too, as stripe-node's
 * `host` replaces every base (reference §9). Only PNG and JPEG come back: anything else is refused, so idv
 * never passes on a document type a browser might run.
 */
import { StripeGatewayError } from './gateway-error.js';

export interface FileContents {
  contentType: 'image/png' | 'image/jpeg';
  body: Buffer;
}

const FILES_BASE = 'https://files.stripe.com';
const IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;

export async function fetchFileContents(
  options: { secretKey: string; apiBase?: string | undefined; timeoutMs?: number },
  id: string,
): Promise<FileContents> {
  const base = (options.apiBase ?? FILES_BASE).replace(/\/$/, '');
  let answer: Response;
  try {
    answer = await fetch(`${base}/v1/files/${encodeURIComponent(id)}/contents`, {
      headers: { authorization: `Bearer ${options.secretKey}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
  } catch (err) {
    throw new StripeGatewayError(
      `Stripe's files host could not be reached: ${(err as Error).message}`,
      null,
      null,
      null,
    );
  }
  const requestId = answer.headers.get('request-id');
  if (!answer.ok) {
    const body = (await answer.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
    throw new StripeGatewayError(
      body.error?.message ?? `Stripe answered ${answer.status}.`,
      answer.status,
      requestId,
      body.error?.code ?? null,
    );
  }
  const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const contentType = IMAGE_TYPES.find((t) => t === type);
  if (!contentType)
    throw new StripeGatewayError(`File ${id} is not an image (${type}).`, 502, requestId, null);
  return { contentType, body: Buffer.from(await answer.arrayBuffer()) };
}
