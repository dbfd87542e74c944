import { tokenHash } from '../../src/http/operators.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, sessionEvent, signedRequest, stripe, uniqueId } from '../helpers/stripe-events.js';
import {
  ADMIN_TOKEN,
  WEBHOOK_SECRET,
  adminGet,
  startTestService,
  type TestService,
} from '../helpers/service.js';

const ROTATED_SECRET = 'whsec_test_rotated_secret_0002';

let service: TestService;
let db: Database.Database;

beforeAll(async () => {
  service = await startTestService({
    STRIPE_WEBHOOK_SECRET: `${WEBHOOK_SECRET}, ${ROTATED_SECRET}`,
    // This file asserts inbox rows exactly as the receiver stored them; no worker touches them.
    IDV_ROLE: 'receiver',
  });
  db = new Database(service.dbPath, { readonly: true });
});
afterAll(async () => {
  db.close();
  await service.stop();
});

function rowsFor(id: string): { id: string; status: string; ignored_reason: string | null }[] {
  return db.prepare('SELECT id, status, ignored_reason FROM events WHERE id = ?').all(id) as never;
}

function processingEvent() {
  return sessionEvent({ type: 'identity.verification_session.processing', sessionId: uniqueId('vs') });
}

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${service.url}/webhook`, { method: 'POST', headers, body });
}

describe('POST /webhook', () => {
  it('stores a valid signed event and answers 200 {"received":true}', async () => {
    const event = processingEvent();
    const res = await postSigned(service.url, event, WEBHOOK_SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(rowsFor(event.id as string)).toEqual([{ id: event.id, status: 'pending', ignored_reason: null }]);
  });

  it('stores the same event delivered five times once, and answers 200 each time', async () => {
    const event = processingEvent();
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => postSigned(service.url, event, WEBHOOK_SECRET).then((r) => r.status)),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(rowsFor(event.id as string)).toHaveLength(1);
  });

  it('accepts an event signed with the second secret during a rotation', async () => {
    const event = processingEvent();
    const res = await postSigned(service.url, event, ROTATED_SECRET);
    expect(res.status).toBe(200);
    expect(rowsFor(event.id as string)).toHaveLength(1);
  });

  it('accepts a header carrying one v1 per active secret where only the second matches', async () => {
    const event = processingEvent();
    const body = JSON.stringify(event);
    const good = stripe.webhooks.generateTestHeaderString({ payload: body, secret: ROTATED_SECRET });
    const t = good.split(',')[0]!;
    const header = `${t},v1=${'0'.repeat(64)},${good.split(',')[1]},v0=${'1'.repeat(64)}`;
    const res = await post(body, { 'content-type': 'application/json', 'stripe-signature': header });
    expect(res.status).toBe(200);
  });

  const rejected: [string, (body: string) => Record<string, string>, ((body: string) => string)?][] = [
    ['no Stripe-Signature header', () => ({ 'content-type': 'application/json' })],
    ['a garbled header', () => ({ 'stripe-signature': 'this is not a signature' })],
    ['an empty v1= value', () => ({ 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=` })],
    [
      'a signature made with the wrong secret',
      (b) => signedRequest(b, 'whsec_someone_else_entirely').headers,
    ],
    [
      'a tampered body',
      (b) => signedRequest(b, WEBHOOK_SECRET).headers,
      (b) => b.replace('processing', 'verified'),
    ],
    [
      'a timestamp older than five minutes',
      (b) => signedRequest(b, WEBHOOK_SECRET, { timestamp: Math.floor(Date.now() / 1000) - 301 }).headers,
    ],
    [
      'a timestamp more than five minutes in the future',
      (b) => signedRequest(b, WEBHOOK_SECRET, { timestamp: Math.floor(Date.now() / 1000) + 600 }).headers,
    ],
    [
      'uppercase hex (Stripe never sends it)',
      (b) => {
        const h = signedRequest(b, WEBHOOK_SECRET).headers['stripe-signature']!;
        return {
          'stripe-signature': h.replace(/v1=([0-9a-f]+)/, (_m, hex: string) => `v1=${hex.toUpperCase()}`),
        };
      },
    ],
  ];

  for (const [name, headersFor, tamper] of rejected) {
    it(`rejects ${name} with 400 and stores nothing`, async () => {
      const event = processingEvent();
      const body = JSON.stringify(event, null, 2);
      const res = await post(tamper ? tamper(body) : body, headersFor(body));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('signature_invalid');
      expect(rowsFor(event.id as string)).toHaveLength(0);
    });
  }

  it('does not keep the session client_secret or url, which Stripe says not to store', async () => {
    const event = sessionEvent({ type: 'identity.verification_session.created', sessionId: uniqueId('vs') });
    const object = (event.data as { object: Record<string, unknown> }).object;
    object.client_secret = 'vs_test_secret_do_not_store';
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const { payload } = db.prepare('SELECT payload FROM events WHERE id = ?').get(event.id) as {
      payload: string;
    };
    expect(payload).not.toContain('vs_test_secret_do_not_store');
    expect(payload).not.toContain('verify.stripe.com');
    expect(JSON.parse(payload)).toMatchObject({
      id: event.id,
      data: { object: { id: object.id, client_secret: null, url: null } },
    });
  });

  it('logs one line with the reason for a rejected request, and never the payload', async () => {
    const event = sessionEvent({
      type: 'identity.verification_session.processing',
      email: 'jane.doe@example.com',
    });
    const body = JSON.stringify(event);
    const before = service.logs.length;
    await post(body, signedRequest(body, 'whsec_wrong_secret_value').headers);
    const lines = service.logs.slice(before).filter((l) => l.msg === 'webhook rejected');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason: 'no_matching_signature' });
    expect(JSON.stringify(service.logs)).not.toContain('jane.doe@example.com');
  });

  it('accepts an endpoint registered with a query string', async () => {
    const event = processingEvent();
    const { body, headers } = signedRequest(event, WEBHOOK_SECRET);
    const res = await fetch(`${service.url}/webhook?env=prod`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(rowsFor(event.id as string)).toHaveLength(1);
  });

  it('answers 413 to a 1.5 MiB body', async () => {
    const big = JSON.stringify({ ...processingEvent(), padding: 'x'.repeat(1.5 * 1024 * 1024) });
    const res = await post(big, signedRequest(big, WEBHOOK_SECRET).headers);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
  });

  it('answers 400 to a correctly signed body that is not JSON', async () => {
    const res = await post('not json at all', signedRequest('not json at all', WEBHOOK_SECRET).headers);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_not_json');
  });

  it('answers 400 to signed JSON that is not a Stripe event', async () => {
    const res = await postSigned(service.url, { hello: 'world' }, WEBHOOK_SECRET);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_an_event');
  });

  it('stores identity.verification_session.created as pending: the worker turns it into a pending subject', async () => {
    const event = sessionEvent({ type: 'identity.verification_session.created', sessionId: uniqueId('vs') });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    expect(rowsFor(event.id as string)).toEqual([{ id: event.id, status: 'pending', ignored_reason: null }]);
  });

  it('answers 200 to an event type idv does not handle and stores it as ignored', async () => {
    const event: Record<string, unknown> = { ...processingEvent(), type: 'charge.succeeded' };
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    expect(rowsFor(event.id as string)).toEqual([
      { id: event.id, status: 'ignored', ignored_reason: 'unhandled_type' },
    ]);
    const shown = (await (await adminGet(service, `/admin/api/events/${event.id}`)).json()) as object;
    expect(shown).toMatchObject({ status: 'ignored', ignored_reason: 'unhandled_type' });
  });

  it('stores an event of the other mode as ignored, livemode_mismatch in the events API', async () => {
    const live = await startTestService({ IDV_LIVEMODE: 'true', IDV_ROLE: 'receiver' });
    try {
      const event = processingEvent();
      expect((await postSigned(live.url, event, WEBHOOK_SECRET)).status).toBe(200);
      const listed = (await (await adminGet(live, '/admin/api/events?status=ignored')).json()) as {
        data: object[];
      };
      expect(listed.data).toEqual([
        expect.objectContaining({ id: event.id, status: 'ignored', ignored_reason: 'livemode_mismatch' }),
      ]);
    } finally {
      await live.stop();
    }
  });
});

describe('admin events API', () => {
  it('answers 401 without the admin token', async () => {
    const res = await fetch(`${service.url}/admin/api/events`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${service.url}/admin/api/events`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('shows one event with its status, and lists events newest first with has_more', async () => {
    const first = processingEvent();
    const second: Record<string, unknown> = { ...processingEvent(), type: 'charge.succeeded' };
    await postSigned(service.url, first, WEBHOOK_SECRET);
    await new Promise((r) => setTimeout(r, 5));
    await postSigned(service.url, second, WEBHOOK_SECRET);

    const one = (await (await adminGet(service, `/admin/api/events/${first.id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(one).toMatchObject({
      id: first.id,
      type: first.type,
      status: 'pending',
      attempts: 0,
      processed_at: null,
      last_error: null,
      ignored_reason: null,
    });
    expect(new Date(one.received_at as string).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const page = (await (await adminGet(service, '/admin/api/events?limit=2')).json()) as {
      data: { id: string }[];
      has_more: boolean;
    };
    expect(page.data.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(page.has_more).toBe(true);

    const ignored = (await (
      await adminGet(service, '/admin/api/events?status=ignored&limit=100')
    ).json()) as { data: { status: string }[] };
    expect(ignored.data.length).toBeGreaterThan(0);
    expect(ignored.data.every((e) => e.status === 'ignored')).toBe(true);
  });

  it('refuses a bad status or limit with 400 naming the parameter, and an unknown id with 404', async () => {
    const bad = await adminGet(service, '/admin/api/events?status=done');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('status');
    expect((await adminGet(service, '/admin/api/events?limit=101')).status).toBe(400);
    const twice = await adminGet(service, '/admin/api/events?starting_after=a&starting_after=b');
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { param: string } }).error.param).toBe('starting_after');
    expect((await adminGet(service, '/admin/api/events/evt_missing')).status).toBe(404);
  });

  it('without IDV_ADMIN_TOKEN answers 401 until an operator is added, with a log line saying so', async () => {
    const bare = await startTestService({ IDV_ADMIN_TOKEN: '', IDV_ROLE: 'receiver' });
    try {
      const asAdmin = await fetch(`${bare.url}/admin/api/events`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(asAdmin.status).toBe(401);
      expect(bare.logs.some((l) => String(l.msg).includes('no operator yet'))).toBe(true);
      const token = `idvop_${'7'.repeat(64)}`;
      await bare.store.addOperator({
        id: 'op_first',
        name: 'First Operator',
        role: 'viewer',
        tokenHash: tokenHash(token),
        createdAt: Date.now(),
      });
      const asOperator = await fetch(`${bare.url}/admin/api/events`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(asOperator.status).toBe(200);
    } finally {
      await bare.stop();
    }
  });
});

describe('health', () => {
  it('exposes Prometheus counters and the backlog gauges at /metrics', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/^idv_webhook_answers_total\{outcome="pending"\} \d+$/m);
    expect(text).toMatch(
      /^idv_webhook_answers_total\{outcome="rejected",reason="no_matching_signature"\} \d+$/m,
    );
    expect(text).toMatch(/^# TYPE idv_events_backlog gauge$/m);
    expect(text).toMatch(/^idv_events_backlog\{status="pending"\} [1-9]\d*$/m);
    expect(text).toMatch(/^idv_reactions_backlog\{status="dead"\} 0$/m);
  });

  it('answers /healthz and /readyz with 200 while the store answers', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });
});
