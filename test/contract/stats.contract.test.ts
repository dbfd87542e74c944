/**
 * The insights figures on both stores, from the hand-written history of stats-history.ts: every figure of
 * GET /admin/api/stats asserted exactly, in Paris time across the end of summer time and in UTC, and every
 * figure's `lists` link followed through the subjects list route to exactly that many rows.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/http/errors.js';
import { adminStatsRoutes } from '../../src/http/routes/admin-stats.js';
import { adminSubjectListRoutes } from '../../src/http/routes/admin-subject-list.js';
import type { StatsAnswer } from '../../src/http/stats-report.js';
import type { Store } from '../../src/store/store.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { loadKnownHistory, utc } from './stats-history.js';

const LEGS = await Promise.all(
  ADAPTERS.map(async (adapter) => [adapter.name, adapter, await adapter.skip()] as const),
);
const NOW = utc('2026-10-27T14:00');
const PARIS = 'from=2026-10-24&to=2026-10-27&interval=day&tz=Europe/Paris';

describe.each(LEGS)('%s store: insights', (_name, adapter, skipReason) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let db: TestDatabase;
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await adapter.createDatabase();
    store = db.open();
    await store.migrate();
    await loadKnownHistory(store);
    app = Fastify();
    installErrorHandlers(app);
    await app.register(adminStatsRoutes, { store, clock: () => NOW });
    await app.register(adminSubjectListRoutes, { store });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const stats = async (query: string): Promise<StatsAnswer> => {
    const res = await app.inject({ method: 'GET', url: `/admin/api/stats?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StatsAnswer;
  };

  /** Every ref of a subjects-list path, following its pages. */
  const listed = async (path: string): Promise<string[]> => {
    const refs: string[] = [];
    let after = '';
    for (;;) {
      const res = await app.inject({ method: 'GET', url: `${path}&limit=2${after}` });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { data: { ref: string }[]; has_more: boolean };
      refs.push(...page.data.map((s) => s.ref));
      if (!page.has_more) return refs;
      after = `&starting_after=${page.data.at(-1)!.ref}`;
    }
  };

  it('counts the funnel of the subjects first recorded in the range, with rates', async () => {
    const answer = await stats(PARIS);
    expect(answer).toMatchObject({
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-10-26T23:00:00.000Z',
      interval: 'day',
      tz: 'Europe/Paris',
      generated_at: '2026-10-27T14:00:00.000Z',
    });
    expect(answer.funnel).toMatchObject({
      started: 9,
      submitted: 7,
      verified: 5,
      submitted_rate: 0.7778,
      verified_rate: 0.5556,
      verified_of_submitted: 0.7143,
    });
  });

  it('buckets outcomes by Paris days: the 25-hour day of 25 October holds B and C', async () => {
    const { outcomes } = await stats(PARIS);
    const row = (verified: number, more: Record<string, number> = {}) => ({
      verified,
      retry_required: 0,
      in_review: 0,
      rejected: 0,
      canceled: 0,
      in_progress: 0,
      ...more,
    });
    expect(outcomes.map(({ lists: _lists, ...rest }) => rest)).toEqual([
      { start: '2026-10-23T22:00:00.000Z', end: '2026-10-24T22:00:00.000Z', ...row(2) },
      { start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', ...row(2) },
      {
        start: '2026-10-25T23:00:00.000Z',
        end: '2026-10-26T23:00:00.000Z',
        ...row(1, { in_review: 1, rejected: 1, canceled: 1, in_progress: 1 }),
      },
    ]);
  });

  it('in UTC the same days hold other subjects, and K (23:00 on the 26th) joins the range', async () => {
    const answer = await stats('from=2026-10-24&to=2026-10-27&interval=day');
    expect(answer.funnel).toMatchObject({ started: 10, submitted: 7, verified: 5 });
    expect(answer.outcomes.map((o) => [o.start, o.verified, o.in_review, o.in_progress])).toEqual([
      ['2026-10-24T00:00:00.000Z', 3, 0, 0],
      ['2026-10-25T00:00:00.000Z', 1, 0, 0],
      ['2026-10-26T00:00:00.000Z', 1, 1, 2],
    ]);
    const hours = await stats('from=2026-10-25&to=2026-10-26&interval=hour&tz=Europe/Paris');
    expect(hours.outcomes).toHaveLength(25);
    expect(hours.outcomes.filter((o) => o.verified > 0).map((o) => o.start)).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T22:00:00.000Z',
    ]);
  });

  it('counts each failure code once per subject, its submissions, and who verified later', async () => {
    const { failure_codes } = await stats(PARIS);
    expect(failure_codes.map(({ lists: _lists, ...rest }) => rest)).toEqual([
      { code: 'document_expired', subjects: 2, submissions: 3, later_verified: 1, later_verified_share: 0.5 },
      { code: 'selfie_manipulated', subjects: 2, submissions: 2, later_verified: 2, later_verified_share: 1 },
      { code: 'consent_declined', subjects: 1, submissions: 1, later_verified: 0, later_verified_share: 0 },
      {
        code: 'document_unverified_other',
        subjects: 1,
        submissions: 1,
        later_verified: 1,
        later_verified_share: 1,
      },
      {
        code: 'selfie_face_mismatch',
        subjects: 1,
        submissions: 1,
        later_verified: 0,
        later_verified_share: 0,
      },
    ]);
  });

  it('time to verify by nearest rank, attempts of verified users, exhausted subjects', async () => {
    const answer = await stats(PARIS);
    // H 300 s, A 600 s, B 7,200 s, J 10,800 s, C 37,800 s: p50 is the 3rd, p90 the 5th.
    expect(answer.time_to_verify).toEqual({ verified: 5, p50_seconds: 7200, p90_seconds: 37800 });
    expect(answer.attempts).toEqual({
      verified_by_attempts_used: [
        { used: 0, subjects: 1 },
        { used: 1, subjects: 4 },
      ],
      exhausted: 1,
    });
  });

  it('reviews: opened, decided by decision and by operator id, the open backlog and its age', async () => {
    const { reviews } = await stats(PARIS);
    expect(reviews).toEqual({
      opened: 4,
      decided: { approved: 2, rejected: 1 },
      by_operator: [
        { operator_id: null, decided: 1, approved: 1 },
        { operator_id: 'op_1', decided: 1, approved: 1 },
        { operator_id: 'op_2', decided: 1, rejected: 1 },
      ],
      backlog: { open: 1, oldest_opened_at: '2026-10-26T14:00:00.000Z', oldest_age_seconds: 86_400 },
    });
  });

  it('reactions created in the range by kind: done, failed, dead', async () => {
    const { reactions } = await stats(PARIS);
    expect(reactions).toEqual({
      callback: { done: 13, failed: 1, dead: 0 },
      email: { done: 12, failed: 0, dead: 1 },
    });
  });

  it('every linked figure lists exactly that many subjects', async () => {
    for (const query of [PARIS, 'from=2026-10-24&to=2026-10-27&interval=day']) {
      const answer = await stats(query);
      const checks: [string, number][] = [
        [answer.funnel.lists.started, answer.funnel.started],
        [answer.funnel.lists.submitted, answer.funnel.submitted],
        [answer.funnel.lists.verified, answer.funnel.verified],
      ];
      for (const bucket of answer.outcomes) {
        for (const state of ['verified', 'retry_required', 'in_review', 'rejected', 'canceled'] as const) {
          checks.push([bucket.lists[state]!, bucket[state]]);
        }
      }
      for (const f of answer.failure_codes) {
        checks.push([f.lists.subjects, f.subjects], [f.lists.later_verified, f.later_verified]);
      }
      for (const [path, count] of checks) expect([path, (await listed(path)).length]).toEqual([path, count]);
    }
    expect(
      (await listed('/admin/api/subjects?ever_code=document_expired&from=2026-10-24&tz=Europe/Paris')).sort(),
    ).toEqual(['stats_b', 'stats_d']);
    expect((await listed('/admin/api/subjects?submitted=false&to=2026-10-27')).sort()).toEqual([
      'stats_e',
      'stats_f',
      'stats_k',
    ]);
  });

  it('answers 400 invalid_request naming the parameter', async () => {
    for (const [query, param] of [
      ['tz=Mars/Olympus', 'tz'],
      ['interval=minute', 'interval'],
      ['from=yesterday', 'from'],
      ['from=2026-10-27&to=2026-10-24', 'from'],
      ['from=2025-01-01&to=2026-10-27&interval=hour', 'interval'],
      ['from=2026-10-24&from=2026-10-25', 'from'],
    ]) {
      const res = await app.inject({ method: 'GET', url: `/admin/api/stats?${query}` });
      expect([query, res.statusCode, res.json().error]).toMatchObject([
        query,
        400,
        { code: 'invalid_request', param },
      ]);
    }
    for (const query of ['from=soon', 'submitted=maybe', 'tz=Nowhere']) {
      const res = await app.inject({ method: 'GET', url: `/admin/api/subjects?${query}` });
      expect([query, res.statusCode]).toEqual([query, 400]);
    }
  });
});
