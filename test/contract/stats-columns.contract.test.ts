/**
 * The insights columns of migration 010 on both stores: a database holding the known history of
 * stats-history.ts without them (the schema of 009) is migrated and gives exactly the figures the worker's
 * own writes give; erasure keeps them with the tombstone; retention takes a purged subject's codes with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentStats, statsRange } from '../../src/http/stats-report.js';
import { eraseSubject } from '../../src/outcomes/erase-subject.js';
import type { Store } from '../../src/store/store.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { loadKnownHistory, utc } from './stats-history.js';

const LEGS = await Promise.all(
  ADAPTERS.map(async (adapter) => [adapter.name, adapter, await adapter.skip()] as const),
);
const NOW = utc('2026-10-27T14:00');
const PARIS = { from: '2026-10-24', to: '2026-10-27', interval: 'day', tz: 'Europe/Paris' };

async function figures(store: Store) {
  const range = statsRange(PARIS, NOW);
  const counted = await store.stats({
    from: range.from,
    to: range.to,
    buckets: range.buckets,
    percentiles: [50, 90],
  });
  return presentStats(range, counted, NOW);
}

/** Back to the schema of migration 009: what a database written by the previous idv holds. */
const UNDO_010 = `
  DROP INDEX subjects_stats;
  ALTER TABLE subjects DROP COLUMN first_submitted_at;
  ALTER TABLE subjects DROP COLUMN verified_at;
  ALTER TABLE subjects DROP COLUMN attempts_used;
  ALTER TABLE subjects DROP COLUMN attempts_left;
  DROP TABLE subject_codes;
  DELETE FROM schema_migrations WHERE version = 10;
`;

describe.each(LEGS)('%s store: insights columns', (_name, adapter, skipReason) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = await adapter.createDatabase();
    store = db.open();
    await store.migrate();
    await loadKnownHistory(store);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migration 010 fills the columns of existing subjects: every figure stays the same', async () => {
    const written = await figures(store);
    expect(written.funnel).toMatchObject({ started: 9, submitted: 7, verified: 5 });
    expect(written.failure_codes).toHaveLength(5);
    const codes = await db.rows('SELECT subject_ref, code, submissions FROM subject_codes ORDER BY 1, 2');
    await db.exec(UNDO_010);
    expect((await db.open().migrate()).applied).toEqual(['010-stats-columns']);
    const migrated = db.open();
    expect(await figures(migrated)).toEqual(written);
    expect(await db.rows('SELECT subject_ref, code, submissions FROM subject_codes ORDER BY 1, 2')).toEqual(
      codes,
    );
    expect(codes).toContainEqual({ subject_ref: 'stats_d', code: 'document_expired', submissions: 2 });
  });

  it('an erased subject keeps its states, times and codes: the figures do not change', async () => {
    const before = await figures(store);
    await eraseSubject({ store, stripe: undefined, clock: () => NOW }, 'stats_d', {
      name: 'admin',
      id: 'admin',
    });
    expect((await store.getSubject('stats_d'))?.subject.erasedAt).toBe(NOW);
    expect(await figures(store)).toEqual(before);
  });

  it('retention takes a purged subject’s codes with it', async () => {
    const count = async (ref: string) =>
      Number((await db.rows(`SELECT COUNT(*) AS n FROM subject_codes WHERE subject_ref = '${ref}'`))[0]!.n);
    expect(await count('stats_g')).toBe(1);
    // Final subjects last changed before 26 October: G, J, A, B.
    expect(await store.purgeSubjects(utc('2026-10-26T00:00'), 100)).toBeGreaterThan(0);
    expect(await count('stats_g')).toBe(0);
    expect(await count('stats_d')).toBe(2);
    const answer = await figures(store);
    expect(answer.failure_codes.find((f) => f.code === 'document_expired')).toMatchObject({
      subjects: 1,
      submissions: 2,
    });
  });
});
