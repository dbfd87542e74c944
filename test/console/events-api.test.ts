/**
 * The events page's API on both stores, with encryption at rest: each event names its session and that
 * session's subject; one event carries its payload with every personal value masked (keys and the rest
 * kept), readable by a viewer, never cached; a viewer cannot replay, an admin can, and it is audited.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import { MASK } from '../../src/stripe/mask-payload.js';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

// Answers are walked by path here; each path is checked against a literal right after.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const LEGS = await serviceLegs();

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  const viewerToken = `idvop_${randomBytes(32).toString('hex')}`;
  beforeAll(async () => {
    service = await start({ IDV_ENCRYPTION_KEY: 'cd'.repeat(32) });
    await service.store.addOperator({
      id: `op_${randomBytes(8).toString('hex')}`,
      name: 'Vic Viewer',
      role: 'viewer',
      tokenHash: tokenHash(viewerToken),
      createdAt: Date.now(),
    });
  });
  afterAll(() => service.stop());

  const call = async (method: string, path: string, token = ADMIN_TOKEN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };

  it('lists events with their session and subject, and shows one with personal values masked', async () => {
    const ref = uniqueId('user');
    const sessionId = uniqueId('vs');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId,
      code: 'document_expired',
      email: 'jenny.rosen@example.com',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const listed = await waitFor(async () => {
      const page = await call('GET', '/admin/api/events?limit=100', viewerToken);
      const found = (page.body.data as Record<string, unknown>[]).find((e) => e.id === event.id);
      return found?.status === 'processed' ? found : undefined;
    });
    expect(listed).toMatchObject({ session: sessionId, subject: ref, ignored_reason: null });

    const one = await call('GET', `/admin/api/events/${event.id as string}`, viewerToken);
    expect(one.status).toBe(200);
    expect(one.headers.get('cache-control')).toBe('no-store');
    expect(one.body).toMatchObject({ id: event.id, session: sessionId, subject: ref });
    const object = one.body.payload.data.object;
    expect(one.body.payload.type).toBe('identity.verification_session.requires_input');
    expect(object).toMatchObject({
      id: sessionId,
      status: 'requires_input',
      last_error: { code: 'document_expired' },
      provided_details: { email: MASK },
      metadata: { user_id: MASK },
      client_reference_id: MASK,
    });
    expect(JSON.stringify(one.body)).not.toContain('jenny.rosen');
    expect((await call('GET', '/admin/api/events/evt_nothing_here', viewerToken)).status).toBe(404);
  });

  it('shows only the envelope of an event of another type, and no session for it', async () => {
    const id = uniqueId('evt');
    const customer = {
      id,
      object: 'event',
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: 'cus_1', object: 'customer', name: 'Jenny Rosen' } },
    };
    expect((await postSigned(service.url, customer, WEBHOOK_SECRET)).status).toBe(200);
    const one = await waitFor(async () => {
      const answer = await call('GET', `/admin/api/events/${id}`, viewerToken);
      return answer.status === 200 ? answer : undefined;
    });
    expect(one.body).toMatchObject({ status: 'ignored', session: null, subject: null });
    expect(one.body.payload).toMatchObject({ type: 'customer.created', data: { object: { id: 'cus_1' } } });
    expect(JSON.stringify(one.body)).not.toContain('Jenny');
  });

  it('replays for an admin only, audited', async () => {
    const event = sessionEvent({
      type: 'identity.verification_session.processing',
      subject: uniqueId('user'),
      sessionId: uniqueId('vs'),
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const id = event.id as string;
    await waitFor(async () =>
      (await call('GET', `/admin/api/events/${id}`)).body.status === 'processed' ? true : undefined,
    );
    const refused = await call('POST', `/admin/api/events/${id}/replay`, viewerToken);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await call('POST', `/admin/api/events/${id}/replay`)).status).toBe(202);
    const audit = await call('GET', '/admin/api/audit?limit=100');
    expect(audit.body.data).toContainEqual(expect.objectContaining({ action: 'event.replay', target: id }));
  });
});
