/**
 * The console's subjects list on both stores: filter by state, by the failure code of the current state
 * and by part of the ref (wildcards taken literally), page most recently updated first, 400 on bad filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const LEGS = await serviceLegs();

interface Summary {
  ref: string;
  state: string;
  attempts: { used: number; max: number; left: number };
  last_error_code: string | null;
  updated_at: string;
}
interface ListAnswer {
  data: Summary[];
  has_more: boolean;
}

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  const tag = uniqueId('batch').replace(/[^a-z0-9]/gi, '');
  const refs = { verified: `${tag}_ok`, retry: `${tag}_retry`, review: `${tag}_review`, odd: `${tag}%_x` };

  const list = async (query: string): Promise<{ status: number; body: ListAnswer }> => {
    const res = await fetch(`${service.url}/admin/api/subjects?${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: res.status, body: (await res.json()) as ListAnswer };
  };

  beforeAll(async () => {
    service = await start();
    const send = async (type: string, subject: string, code?: string) => {
      const event = sessionEvent({
        type: `identity.verification_session.${type}`,
        sessionId: uniqueId('vs'),
        subject,
        ...(code ? { code } : {}),
      });
      expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    };
    await send('verified', refs.verified);
    await send('requires_input', refs.retry, 'document_expired');
    await send('requires_input', refs.review, 'selfie_manipulated');
    await send('verified', refs.odd);
    await waitFor(async () => ((await list(`q=${tag}&limit=100`)).body.data.length === 4 ? true : undefined));
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('finds subjects by part of the ref, with state, attempts and the failure code', async () => {
    const { body } = await list(`q=${encodeURIComponent(tag)}&limit=100`);
    const byRef = Object.fromEntries(body.data.map((s) => [s.ref, s]));
    expect(byRef[refs.retry]).toMatchObject({
      state: 'retry_required',
      last_error_code: 'document_expired',
      attempts: { used: 1, max: 3, left: 2 },
    });
    expect(byRef[refs.verified]).toMatchObject({ state: 'verified', last_error_code: null });
    // `%` and `_` in q match themselves, not anything.
    const odd = await list(`q=${encodeURIComponent(`${tag}%_`)}`);
    expect(odd.body.data.map((s) => s.ref)).toEqual([refs.odd]);
  });

  it('filters by state and by failure code', async () => {
    const review = await list(`state=in_review&q=${tag}`);
    expect(review.body.data.map((s) => s.ref)).toEqual([refs.review]);
    const expired = await list(`code=document_expired&q=${tag}`);
    expect(expired.body.data.map((s) => s.ref)).toEqual([refs.retry]);
    const verified = await list(`state=verified&q=${tag}&limit=100`);
    expect(verified.body.data.map((s) => s.ref).sort()).toEqual([refs.odd, refs.verified].sort());
  });

  it('pages most recently updated first', async () => {
    const all = (await list(`q=${tag}&limit=100`)).body.data;
    const times = all.map((s) => s.updated_at);
    expect([...times].sort().reverse()).toEqual(times);
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = await list(
        `q=${tag}&limit=1${after ? `&starting_after=${encodeURIComponent(after)}` : ''}`,
      );
      seen.push(...page.body.data.map((s) => s.ref));
      if (!page.body.has_more) break;
      after = page.body.data[0]!.ref;
    }
    expect(seen).toEqual(all.map((s) => s.ref));
  });

  it('refuses an unknown state, a repeated or too long parameter, and a bad limit', async () => {
    expect((await list('state=happy')).status).toBe(400);
    expect((await list('state=verified&state=rejected')).status).toBe(400);
    expect((await list(`q=${'x'.repeat(256)}`)).status).toBe(400);
    expect((await list('limit=101')).status).toBe(400);
  });
});
