import { describe, expect, it } from 'vitest';
import { postCallback, type FetchLike } from '../../src/reactions/callback/client.js';
import { verifyIdvSignature } from './helpers.js';

function answering(status: number, body: string | null = ''): FetchLike {
  return async () => new Response(body, { status });
}

const base = {
  url: 'http://app.test/cb',
  secret: 's3cret',
  body: '{"id":"cb_1"}',
  idempotencyKey: 'k',
  timeoutMs: 1000,
};

describe('postCallback', () => {
  it('signs "<t>.<body>" with the callback secret and sends the idempotency key', async () => {
    let seen: RequestInit | undefined;
    const verdict = await postCallback({
      ...base,
      nowSec: Math.floor(Date.now() / 1000),
      fetch: async (_url, init) => {
        seen = init;
        return new Response('ok', { status: 200 });
      },
    });
    expect(verdict).toEqual({ outcome: 'done', detail: 'HTTP 200: ok' });
    const headers = seen!.headers as Record<string, string>;
    expect(verifyIdvSignature(base.body, headers['idv-signature'], 's3cret')).toBe(true);
    expect(verifyIdvSignature(base.body, headers['idv-signature'], 'other')).toBe(false);
    expect(headers['idempotency-key']).toBe('k');
  });

  it.each([
    [500, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [302, 'retry'],
    [400, 'dead'],
    [401, 'dead'],
    [404, 'dead'],
    [204, 'done'],
  ])('HTTP %i → %s', async (status, outcome) => {
    const verdict = await postCallback({
      ...base,
      nowSec: 1,
      fetch: answering(status, status === 204 ? null : 'x'),
    });
    expect(verdict.outcome).toBe(outcome);
  });

  it('keeps at most 500 characters of the answer', async () => {
    const verdict = await postCallback({ ...base, nowSec: 1, fetch: answering(400, 'y'.repeat(2000)) });
    expect(verdict.detail).toBe(`HTTP 400: ${'y'.repeat(500)}`);
  });

  it('retries network errors', async () => {
    const verdict = await postCallback({
      ...base,
      nowSec: 1,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    expect(verdict).toEqual({ outcome: 'retry', detail: 'network error: ECONNREFUSED' });
  });
});
