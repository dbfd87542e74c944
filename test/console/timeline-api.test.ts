/**
 * On both stores, over HTTP: a `retry` decision grants one more attempt; the subject's timeline merges its
 * session, events, state changes, case, reactions and audit lines oldest first; reactions page with
 * `starting_after`; the timeline needs an operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const LEGS = await serviceLegs();

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  beforeAll(async () => {
    service = await start({
      IDV_CALLBACK_URL: 'http://127.0.0.1:9/callback',
      IDV_CALLBACK_SECRET: 'callback-secret-for-tests-0123456789',
    });
  });
  afterAll(() => service.stop());

  const call = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('grants a retry, then shows it all on the timeline in time order', async () => {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
      code: 'selfie_manipulated',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
    const decided = await call('POST', `/admin/api/reviews/${review.id}/decision`, {
      decision: 'retry',
      note: 'photo too dark',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'retry_granted', note: 'photo too dark' });
    const subject = await call('GET', `/admin/api/subjects/${ref}`);
    expect(subject.body).toMatchObject({ state: 'retry_required', attempts: { used: 1, left: 3 } });
    expect((await call('GET', '/admin/api/reviews?status=retry_granted')).body.data).toContainEqual(
      expect.objectContaining({ id: review.id }),
    );

    const timeline = await call('GET', `/admin/api/subjects/${ref}/timeline`);
    expect(timeline.status).toBe(200);
    const entries = timeline.body.data as { at: string; kind: string; [k: string]: unknown }[];
    const kinds = new Set(entries.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['audit', 'event', 'reaction', 'review', 'session', 'state']);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'state', from: 'in_review', to: 'retry_required', actor: 'admin' }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'review', status: 'retry_granted' }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'audit', action: 'review.retry' }));
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'reaction', topic: 'verification.retry_required' }),
    );
    expect((await call('GET', `/admin/api/subjects/${ref}/timeline`, undefined, 'wrong')).status).toBe(401);
    expect((await call('GET', '/admin/api/subjects/nobody_here/timeline')).status).toBe(404);
  });

  it('pages reactions with starting_after', async () => {
    const all = (await call('GET', '/admin/api/reactions?limit=500')).body.data as { id: number }[];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await call('GET', '/admin/api/reactions?limit=1');
    expect(first.body.has_more).toBe(true);
    const firstId = (first.body.data as { id: number }[])[0]!.id;
    const rest = (await call('GET', `/admin/api/reactions?limit=500&starting_after=${firstId}`)).body
      .data as { id: number }[];
    expect([firstId, ...rest.map((r) => r.id)]).toEqual(all.map((r) => r.id));
    expect((await call('GET', '/admin/api/reactions?starting_after=x')).status).toBe(400);
  });
});
