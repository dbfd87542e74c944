/**
 * Named operators and the audit log, on both stores: a token identifies its operator, who is the actor of
 * what they do; a role below the route's answers 403 `forbidden`; IDV_ADMIN_TOKEN is the break-glass
 * `admin`, the only one whose Idv-Actor is honoured; decisions and replays land in the audit log, which
 * one subject at a time any operator reads and whole only an admin; operator names are encrypted at rest.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import type { OperatorRole } from '../../src/store/store.js';
import { serviceLegs } from '../helpers/service-legs.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const LEGS = await serviceLegs();
const KEY = 'ab'.repeat(32);

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; role?: string } };
}

describe.each(LEGS)('on the $name store', ({ name, skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  const tokens: Record<string, string> = {};

  async function addOperator(who: string, role: OperatorRole): Promise<{ id: string; token: string }> {
    const token = `idvop_${randomBytes(32).toString('hex')}`;
    const id = `op_${randomBytes(8).toString('hex')}`;
    await service.store.addOperator({
      id,
      name: who,
      role,
      tokenHash: tokenHash(token),
      createdAt: Date.now(),
    });
    return { id, token };
  }

  async function call(
    token: string,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${service.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }

  async function openCase(): Promise<{ ref: string; id: string }> {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId: uniqueId('vs'),
      subject: ref,
      code: 'selfie_manipulated',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const id = await waitFor(async () => {
      const list = await call(tokens.viewer!, '/admin/api/reviews?status=open&limit=100');
      return (list.body.data as { id: string; subject: string }[]).find((r) => r.subject === ref)?.id;
    });
    return { ref, id };
  }

  const ids: Record<string, string> = {};
  beforeAll(async () => {
    service = await start({ IDV_ENCRYPTION_KEY: KEY });
    for (const [who, role] of [
      ['Vera Viewer', 'viewer'],
      ['Rita Reviewer', 'reviewer'],
      ['Ada Admin', 'admin'],
    ] as const) {
      const { id, token } = await addOperator(who, role);
      tokens[role] = token;
      ids[role] = id;
    }
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('a viewer reads but cannot decide (403 forbidden, naming the role needed) or replay', async () => {
    const { id } = await openCase();
    expect((await call(tokens.viewer!, `/admin/api/reviews/${id}`)).status).toBe(200);
    const decided = await call(tokens.viewer!, `/admin/api/reviews/${id}/decision`, {
      method: 'POST',
      body: { decision: 'approve', note: 'looks fine' },
    });
    expect(decided.status).toBe(403);
    expect(decided.body.error).toMatchObject({ code: 'forbidden', role: 'reviewer' });
    const replay = await call(tokens.reviewer!, '/admin/api/reactions/replay', {
      method: 'POST',
      body: { status: 'dead' },
    });
    expect(replay.status).toBe(403);
    expect(replay.body.error).toMatchObject({ code: 'forbidden', role: 'admin' });
    expect((await call(tokens.viewer!, `/admin/api/reviews/${id}`)).body.status).toBe('open');
  });

  it("a reviewer's decision names the reviewer, whatever Idv-Actor says, and is audited", async () => {
    const { ref, id } = await openCase();
    const decided = await call(tokens.reviewer!, `/admin/api/reviews/${id}/decision`, {
      method: 'POST',
      body: { decision: 'reject', note: 'expired passport again', actor: 'someone else' },
      headers: { 'idv-actor': 'mallory' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'rejected', actor: 'Rita Reviewer' });
    const audit = await call(tokens.viewer!, `/admin/api/audit?subject=${ref}`);
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        actor: 'Rita Reviewer',
        actor_id: ids.reviewer,
        action: 'review.reject',
        subject: ref,
        target: id,
      }),
    ]);
  });

  it('the break-glass IDV_ADMIN_TOKEN is `admin`, and may name whom it acts for', async () => {
    const { ref, id } = await openCase();
    const decided = await call(ADMIN_TOKEN, `/admin/api/reviews/${id}/decision`, {
      method: 'POST',
      body: { decision: 'approve', note: 'checked by phone' },
      headers: { 'idv-actor': 'alice@ops' },
    });
    expect(decided.body).toMatchObject({ status: 'approved', actor: 'alice@ops' });
    const audit = await call(ADMIN_TOKEN, `/admin/api/audit?subject=${ref}`);
    expect(audit.body.data).toEqual([
      expect.objectContaining({ actor: 'alice@ops', actor_id: 'admin', action: 'review.approve' }),
    ]);
  });

  it('the whole audit log is for admins; it pages newest first and filters by operator', async () => {
    const viewerAll = await call(tokens.viewer!, '/admin/api/audit');
    expect(viewerAll.status).toBe(403);
    expect(viewerAll.body.error?.code).toBe('forbidden');
    expect((await call(tokens.reviewer!, '/admin/api/audit')).status).toBe(403);
    const replayed = await call(tokens.admin!, '/admin/api/reactions/replay', {
      method: 'POST',
      body: { status: 'dead' },
    });
    expect(replayed).toMatchObject({ status: 202, body: { replayed: 0 } });
    const first = await call(tokens.admin!, '/admin/api/audit?limit=1');
    expect(first.body).toMatchObject({ has_more: true });
    const [newest] = first.body.data as { id: number; action: string; actor: string }[];
    expect(newest).toMatchObject({ action: 'reactions.replay_dead', actor: 'Ada Admin' });
    const rest = await call(tokens.admin!, `/admin/api/audit?limit=100&starting_after=${newest!.id}`);
    const later = rest.body.data as { id: number }[];
    expect(later.length).toBeGreaterThanOrEqual(2);
    expect(later.every((e) => e.id < newest!.id)).toBe(true);
    const mine = await call(tokens.admin!, `/admin/api/audit?actor=${ids.reviewer}`);
    expect((mine.body.data as { actor_id: string }[]).map((e) => e.actor_id)).toEqual([ids.reviewer]);
    expect((await call(tokens.admin!, '/admin/api/audit?starting_after=x')).status).toBe(400);
    expect((await call(tokens.admin!, '/admin/api/audit?limit=0')).status).toBe(400);
    expect(
      (await call(tokens.admin!, '/admin/api/reactions/replay', { method: 'POST', body: {} })).status,
    ).toBe(400);
  });

  it('an unknown token is 401; a removed operator is refused at once', async () => {
    expect((await call(`idvop_${'0'.repeat(64)}`, '/admin/api/reviews')).status).toBe(401);
    const temp = await addOperator('Tim Temporary', 'viewer');
    expect((await call(temp.token, '/admin/api/reviews')).status).toBe(200);
    expect(await service.store.removeOperator(temp.id)).toBe(true);
    expect((await call(temp.token, '/admin/api/reviews')).status).toBe(401);
  });

  it('lists sessions no subject could be found for, for any operator', async () => {
    const sessionId = uniqueId('vs');
    const event = sessionEvent({ type: 'identity.verification_session.verified', sessionId, subject: null });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const found = await waitFor(async () => {
      const page = await call(tokens.viewer!, '/admin/api/sessions/unlinked?limit=100');
      return (page.body.data as { id: string; status: string }[]).find((s) => s.id === sessionId);
    });
    expect(found).toMatchObject({ id: sessionId, status: 'verified' });
    const one = await call(tokens.viewer!, '/admin/api/sessions/unlinked?limit=1');
    expect((one.body.data as unknown[]).length).toBe(1);
    expect((await call(tokens.viewer!, '/admin/api/sessions/unlinked?limit=500')).status).toBe(400);
  });

  it.runIf(name === 'sqlite')('keeps operator names and audit actors encrypted at rest', async () => {
    const db = new Database(service.dbPath, { readonly: true });
    try {
      const names = db.prepare('SELECT name FROM operators').all() as { name: string }[];
      expect(names.length).toBeGreaterThanOrEqual(3);
      expect(names.every((n) => n.name.startsWith('enc:v2:'))).toBe(true);
      const actors = db.prepare('SELECT actor FROM audit').all() as { actor: string }[];
      expect(actors.length).toBeGreaterThan(0);
      expect(actors.every((a) => a.actor.startsWith('enc:v2:'))).toBe(true);
      const raw = JSON.stringify([names, actors]);
      expect(raw).not.toContain('Rita');
      expect(raw).not.toContain('alice@ops');
    } finally {
      db.close();
    }
  });
});
