/**
 * Connect: events of connected accounts carry `account`; two accounts with the same user ref stay separate
 * subjects, apart from the platform's own user of that ref, and each is read with `?account=`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whenPipelineIdle } from '../../src/worker/loop.js';
import { API_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { startCallbackReceiver, type CallbackReceiver } from '../reactions/helpers.js';

const CALLBACK_SECRET = 'cb_secret_connect_accounts_1';
let service: TestService;
let app: CallbackReceiver;

beforeAll(async () => {
  app = await startCallbackReceiver(CALLBACK_SECRET);
  service = await startTestService({ IDV_CALLBACK_URL: app.url, IDV_CALLBACK_SECRET: CALLBACK_SECRET });
});
afterAll(async () => {
  await service.stop();
  await app.close();
});

async function send(event: Record<string, unknown>, account?: string) {
  const res = await postSigned(service.url, account ? { ...event, account } : event, WEBHOOK_SECRET);
  expect(res.status).toBe(200);
}

async function get(path: string) {
  const res = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Connect accounts', () => {
  it('two accounts with the same user ref stay separate subjects', async () => {
    const ref = uniqueId('user');
    const type = (t: string) => `identity.verification_session.${t}`;
    await send(sessionEvent({ type: type('verified'), sessionId: uniqueId('vs'), subject: ref }), 'acct_1A');
    await send(
      sessionEvent({
        type: type('requires_input'),
        sessionId: uniqueId('vs'),
        subject: ref,
        code: 'document_expired',
      }),
      'acct_2B',
    );
    await whenPipelineIdle(service.worker, service.dispatcher);

    const a = await get(`/v1/subjects/${ref}?account=acct_1A`);
    const b = await get(`/v1/subjects/${ref}?account=acct_2B`);
    const platform = await get(`/v1/subjects/${ref}`);
    expect(a.body).toMatchObject({ ref, account: 'acct_1A', state: 'verified' });
    expect(b.body).toMatchObject({ ref, account: 'acct_2B', state: 'retry_required' });
    expect(platform.body).toMatchObject({ ref, state: 'unverified' });
    expect(platform.body).not.toHaveProperty('account');
    expect((await get(`/v1/subjects/${ref}?account=nope`)).body).toMatchObject({
      error: { code: 'invalid_request', param: 'account' },
    });

    // The app hears of each with its account.
    const mine = app.received.filter((c) => c.body.subject?.ref === ref);
    expect(mine.map((c) => c.body.subject).sort((x, y) => x!.state!.localeCompare(y!.state!))).toEqual([
      { ref, state: 'retry_required', account: 'acct_2B' },
      { ref, state: 'verified', account: 'acct_1A' },
    ]);
  });
});
