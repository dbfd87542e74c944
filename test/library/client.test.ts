/**
 * The typed client `idv-outcomes/client` where the OpenAPI walk does not take it: an answer that is not
 * idv's JSON (a proxy's page) is an IdvApiError with its text, and the break-glass operator names who
 * decided. Its answers against the document are test/integration/openapi.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdvClient, IdvApiError } from '../../src/client/index.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

describe('the typed client', () => {
  let proxy: Server;
  let proxyUrl: string;
  let service: TestService;
  beforeAll(async () => {
    // A proxy in front of idv: an HTML error page, and an HTML page with 200.
    proxy = createServer((req, res) => {
      const ok = req.url?.includes('ok') ?? false;
      res.writeHead(ok ? 200 : 502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    service = await startTestService();
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await service.stop();
  });

  it.each([
    ['an error page', 'user_1', 502],
    ['a page answered 200', 'ok', 200],
  ])('turns %s into an IdvApiError that keeps its text', async (_name, ref, status) => {
    const client = createIdvClient({ baseUrl: proxyUrl, apiToken: 't' });
    const err = await client.subjects.get(ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdvApiError);
    expect(err).toMatchObject({ status, code: 'not_idv_json', body: null, text: '<h1>Bad gateway</h1>' });
  });

  it('says which token a call needs when it was not given', async () => {
    const client = createIdvClient({ baseUrl: service.url, apiToken: 't' });
    await expect(client.admin.events.list()).rejects.toThrow('This call needs operatorToken.');
  });

  it('lets the break-glass operator name who decided', async () => {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
      code: 'selfie_manipulated',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
    const client = createIdvClient({ baseUrl: service.url, operatorToken: ADMIN_TOKEN });
    const decided = await client.admin.reviews.decide(review.id, 'approve', 'checked by phone', {
      actor: 'rita@example.com',
    });
    expect(decided).toMatchObject({ status: 'approved', actor: 'rita@example.com' });
  });
});
