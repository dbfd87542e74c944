/**
 * The review queue on both stores: a reviewer takes a case and lets it go, the queue filters by owner
 * (`owner=me|none`) and status and pages with `starting_after`; deciding, taking or releasing a case
 * another reviewer holds is 409 `case_claimed`; an admin may free anyone's case; viewers cannot claim.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import type { OperatorRole } from '../../src/store/store.js';
import { serviceLegs } from '../helpers/service-legs.js';
import { WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const LEGS = await serviceLegs();

interface Case {
  id: string;
  subject: string;
  status: string;
  owner: { id: string; name: string } | null;
  claimed_at: string | null;
}
interface Answer {
  status: number;
  body: Case & { data: Case[]; has_more: boolean; error?: { code: string; owner?: string } };
}

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  const op: Record<string, { id: string; token: string }> = {};

  async function call(who: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${service.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${op[who]!.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }

  async function openCase(): Promise<string> {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId: uniqueId('vs'),
      subject: ref,
      code: 'selfie_manipulated',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    return waitFor(async () => {
      const list = await call('viewer', '/admin/api/reviews?status=open&limit=100');
      return list.body.data.find((r) => r.subject === ref)?.id;
    });
  }

  beforeAll(async () => {
    service = await start({ IDV_ENCRYPTION_KEY: 'ef'.repeat(32) });
    const people: [string, string, OperatorRole][] = [
      ['viewer', 'Vic Viewer', 'viewer'],
      ['ann', 'Ann Reviewer', 'reviewer'],
      ['bob', 'Bob Reviewer', 'reviewer'],
      ['admin', 'Ada Admin', 'admin'],
    ];
    for (const [key, name, role] of people) {
      const token = `idvop_${randomBytes(32).toString('hex')}`;
      const id = `op_${randomBytes(8).toString('hex')}`;
      await service.store.addOperator({ id, name, role, tokenHash: tokenHash(token), createdAt: Date.now() });
      op[key] = { id, token };
    }
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('a claimed case is the claimant’s: others see who holds it and cannot decide, take or release it', async () => {
    const id = await openCase();
    const claimed = await call('ann', `/admin/api/reviews/${id}/claim`, {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.owner).toEqual({ id: op.ann!.id, name: 'Ann Reviewer' });
    expect(claimed.body.claimed_at).not.toBeNull();
    expect((await call('bob', `/admin/api/reviews/${id}`)).body.owner?.name).toBe('Ann Reviewer');

    const decide = await call('bob', `/admin/api/reviews/${id}/decision`, {
      decision: 'approve',
      note: 'ok',
    });
    expect(decide.status).toBe(409);
    expect(decide.body.error).toMatchObject({ code: 'case_claimed', owner: op.ann!.id });
    expect((await call('bob', `/admin/api/reviews/${id}/claim`, {})).body.error?.code).toBe('case_claimed');
    expect((await call('bob', `/admin/api/reviews/${id}/release`, {})).body.error?.code).toBe('case_claimed');
    expect((await call('viewer', `/admin/api/reviews/${id}/claim`, {})).body.error?.code).toBe('forbidden');

    // Claiming one's own case again is fine; an admin frees it; then Bob may take and decide it.
    expect((await call('ann', `/admin/api/reviews/${id}/claim`, {})).status).toBe(200);
    expect((await call('admin', `/admin/api/reviews/${id}/release`, {})).body.owner).toBeNull();
    expect((await call('bob', `/admin/api/reviews/${id}/claim`, {})).status).toBe(200);
    const decided = await call('bob', `/admin/api/reviews/${id}/decision`, {
      decision: 'reject',
      note: 'forged',
    });
    expect(decided.body).toMatchObject({ status: 'rejected', actor: 'Bob Reviewer' });
    expect((await call('bob', `/admin/api/reviews/${id}/claim`, {})).status).toBe(409);

    const audit = await call('admin', `/admin/api/audit?subject=${claimed.body.subject}&limit=100`);
    const actions = (audit.body.data as unknown as { action: string; actor: string }[]).map(
      (e) => `${e.actor}: ${e.action}`,
    );
    expect(actions).toEqual([
      'Bob Reviewer: review.reject',
      'Bob Reviewer: review.claim',
      'Ada Admin: review.release',
      'Ann Reviewer: review.claim',
      'Ann Reviewer: review.claim',
    ]);
  });

  it('filters the queue by owner and pages it oldest first', async () => {
    const ids = [await openCase(), await openCase(), await openCase()];
    expect((await call('ann', `/admin/api/reviews/${ids[1]}/claim`, {})).status).toBe(200);
    const mine = await call('ann', '/admin/api/reviews?status=open&owner=me');
    expect(mine.body.data.map((c) => c.id)).toContain(ids[1]);
    expect(mine.body.data.every((c) => c.owner?.id === op.ann!.id)).toBe(true);
    expect(
      (await call('bob', '/admin/api/reviews?status=open&owner=me')).body.data.map((c) => c.id),
    ).not.toContain(ids[1]);
    const unassigned = await call('bob', '/admin/api/reviews?status=open&owner=none&limit=100');
    const free = unassigned.body.data.map((c) => c.id);
    expect(free).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect(free).not.toContain(ids[1]);

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await call(
        'viewer',
        `/admin/api/reviews?status=open&limit=1${after ? `&starting_after=${after}` : ''}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.data.map((c) => c.id));
      if (!page.body.has_more) break;
      after = page.body.data[0]!.id;
    }
    const all = await call('viewer', '/admin/api/reviews?status=open&limit=100');
    expect(seen).toEqual(all.body.data.map((c) => c.id));
    expect(seen.indexOf(ids[0]!)).toBeLessThan(seen.indexOf(ids[2]!));
    expect((await call('viewer', '/admin/api/reviews?owner=someone')).status).toBe(400);
    expect((await call('viewer', '/admin/api/reviews?status=open&status=closed')).status).toBe(400);
  });
});
